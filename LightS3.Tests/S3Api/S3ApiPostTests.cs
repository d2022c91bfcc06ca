using System.Net;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using LightS3.Tests.Support;

namespace LightS3.Tests.S3Api;

/// <summary>Presigned POST (browser form uploads) made by the AWS SDK's CreatePresignedPost, posted as a real form.</summary>
public sealed class S3ApiPostTests
{
    private S3GatewayServer _server = null!;
    private ShiftedTime _time = null!;
    private AmazonS3Client _s3 = null!;
    private const string Bucket = "post-tests";

    private sealed class ShiftedTime : TimeProvider
    {
        public TimeSpan Shift { get; set; }
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Shift;
    }

    [OneTimeSetUp]
    public async Task Start()
    {
        _time = new ShiftedTime();
        _server = await S3GatewayServer.StartAsync(time: _time);
        _s3 = _server.Client();
        await _s3.PutBucketAsync(Bucket);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _s3.Dispose();
        await _server.DisposeAsync();
    }

    [TearDown]
    public void ResetClock() => _time.Shift = TimeSpan.Zero;

    private async Task<CreatePresignedPostResponse> Presign(string key)
    {
        var request = new CreatePresignedPostRequest
        {
            BucketName = Bucket, Key = key, Expires = DateTime.UtcNow.AddMinutes(10),
            Conditions = [S3PostCondition.ContentLengthRange(1, 100), S3PostCondition.StartsWith("Content-Type", "text/")],
        };
        request.Fields["success_action_status"] = "201";
        return await _s3.CreatePresignedPostAsync(request);
    }

    private static async Task<(HttpStatusCode Status, string Body)> Post(CreatePresignedPostResponse presigned, byte[] file,
        string contentType = "text/plain", Action<Dictionary<string, string>>? tamper = null)
    {
        var fields = new Dictionary<string, string>(presigned.Fields) { ["Content-Type"] = contentType };
        tamper?.Invoke(fields);
        using var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        form.Add(new ByteArrayContent(file), "file", "upload.txt");
        using var http = new HttpClient();
        var response = await http.PostAsync(presigned.Url, form);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<bool> Exists(string key)
    {
        try
        {
            await _s3.GetObjectMetadataAsync(Bucket, key);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    [Test]
    public async Task A_presigned_post_uploads_the_file_with_its_content_type_and_answers_201()
    {
        var (status, body) = await Post(await Presign("forms/ok.txt"), "hello form"u8.ToArray());
        Assert.That(status, Is.EqualTo(HttpStatusCode.Created), body);
        Assert.That(body, Does.Contain("<Key>forms/ok.txt</Key>"));
        using var got = await _s3.GetObjectAsync(Bucket, "forms/ok.txt");
        Assert.That(await new StreamReader(got.ResponseStream).ReadToEndAsync(), Is.EqualTo("hello form"));
        Assert.That(got.Headers.ContentType, Is.EqualTo("text/plain"));
    }

    [Test]
    public async Task Content_length_range_refuses_too_large_and_too_small_files_and_stores_nothing()
    {
        var presigned = await Presign("forms/size.txt");
        var large = await Post(presigned, Encoding.ASCII.GetBytes(new string('x', 101)));
        Assert.That(large.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(large.Body, Does.Contain("<Code>EntityTooLarge</Code>"));
        var small = await Post(presigned, []);
        Assert.That(small.Body, Does.Contain("<Code>EntityTooSmall</Code>"));
        Assert.That(await Exists("forms/size.txt"), Is.False);
        var fits = await Post(presigned, Encoding.ASCII.GetBytes(new string('x', 100)));
        Assert.That(fits.Status, Is.EqualTo(HttpStatusCode.Created), "positive control: 100 bytes is in range");
    }

    [Test]
    public async Task Fields_the_policy_does_not_allow_are_AccessDenied_and_a_forged_signature_SignatureDoesNotMatch()
    {
        var presigned = await Presign("forms/guarded.txt");
        var file = "x"u8.ToArray();
        var wrongType = await Post(presigned, file, contentType: "image/png");
        Assert.That(wrongType.Status, Is.EqualTo(HttpStatusCode.Forbidden), wrongType.Body);
        Assert.That(wrongType.Body, Does.Contain("<Code>AccessDenied</Code>"), "starts-with $Content-Type text/");
        var otherKey = await Post(presigned, file, tamper: f => f["key"] = "elsewhere.txt");
        Assert.That(otherKey.Body, Does.Contain("<Code>AccessDenied</Code>"), "the key is fixed by the policy");
        var extra = await Post(presigned, file, tamper: f => f["x-amz-meta-extra"] = "1");
        Assert.That(extra.Body, Does.Contain("<Code>AccessDenied</Code>"), "a field no condition names");
        var forged = await Post(presigned, file, tamper: f => f["x-amz-signature"] = new string('0', 64));
        Assert.That(forged.Body, Does.Contain("<Code>SignatureDoesNotMatch</Code>"));
        Assert.That(await Exists("forms/guarded.txt") || await Exists("elsewhere.txt"), Is.False);
        Assert.That((await Post(presigned, file)).Status, Is.EqualTo(HttpStatusCode.Created), "positive control: the untouched form uploads");
    }

    [Test]
    public async Task An_expired_policy_is_AccessDenied()
    {
        var presigned = await Presign("forms/late.txt");
        _time.Shift = TimeSpan.FromMinutes(11);
        var late = await Post(presigned, "x"u8.ToArray());
        Assert.That(late.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(late.Body, Does.Contain("<Code>AccessDenied</Code>").And.Contain("expired"));
        Assert.That(await Exists("forms/late.txt"), Is.False);
        _time.Shift = TimeSpan.Zero;
        Assert.That((await Post(presigned, "x"u8.ToArray())).Status, Is.EqualTo(HttpStatusCode.Created), "positive control: in time");
    }
}
