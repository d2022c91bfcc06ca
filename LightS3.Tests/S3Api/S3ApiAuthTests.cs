using System.Net;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using LightS3.Tests.Support;

namespace LightS3.Tests.S3Api;

/// <summary>Signature V4 failures answer with AWS's exact codes, and nothing is stored.</summary>
public sealed class S3ApiAuthTests
{
    private S3GatewayServer _server = null!;
    private ShiftedTime _time = null!;
    private const string Bucket = "auth-tests";

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
        using var s3 = _server.Client();
        await s3.PutBucketAsync(Bucket);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    [TearDown]
    public void ResetClock() => _time.Shift = TimeSpan.Zero;

    private async Task<int> ObjectCount()
    {
        using var s3 = _server.Client();
        return (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket })).KeyCount ?? 0;
    }

    private static PutObjectRequest Put(string key) => new() { BucketName = Bucket, Key = key, ContentBody = "x" };

    [Test]
    public async Task A_wrong_secret_is_SignatureDoesNotMatch()
    {
        using var s3 = _server.Client(secretKey: "not-the-secret");
        var e = Assert.CatchAsync<AmazonS3Exception>(() => s3.PutObjectAsync(Put("wrong-secret")));
        Assert.That((e!.StatusCode, e.ErrorCode), Is.EqualTo((HttpStatusCode.Forbidden, "SignatureDoesNotMatch")));
        var list = Assert.CatchAsync<AmazonS3Exception>(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket }));
        Assert.That(list!.ErrorCode, Is.EqualTo("SignatureDoesNotMatch"), "a request without a body is checked too");
        Assert.That(await ObjectCount(), Is.Zero);
    }

    [Test]
    public async Task A_chunk_whose_signature_does_not_chain_from_the_request_is_SignatureDoesNotMatch()
    {
        var zeros = new string('0', 64);
        var body = Encoding.ASCII.GetBytes($"5;chunk-signature={zeros}\r\nhello\r\n0;chunk-signature={zeros}\r\n\r\n");
        var request = TestSigner.Signed(HttpMethod.Put, new Uri(_server.Url), $"/{Bucket}/forged-chunks", body,
            S3GatewayServer.AccessKey, S3GatewayServer.SecretKey, payloadHash: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
        request.Headers.TryAddWithoutValidation("x-amz-decoded-content-length", "5");
        using var http = new HttpClient();
        var response = await http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("<Code>SignatureDoesNotMatch</Code>"));
        Assert.That(await ObjectCount(), Is.Zero);
    }

    [Test]
    public async Task An_unknown_access_key_is_InvalidAccessKeyId()
    {
        using var s3 = _server.Client(accessKey: "NOSUCHKEY");
        var e = Assert.CatchAsync<AmazonS3Exception>(() => s3.PutObjectAsync(Put("unknown-key")));
        Assert.That((e!.StatusCode, e.ErrorCode), Is.EqualTo((HttpStatusCode.Forbidden, "InvalidAccessKeyId")));
        Assert.That(await ObjectCount(), Is.Zero);
    }

    [Test]
    public async Task Unsigned_requests_are_AccessDenied()
    {
        using var http = new HttpClient();
        var response = await http.PutAsync($"{_server.Url}/{Bucket}/anon", new StringContent("x"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(body, Does.Contain("<Code>AccessDenied</Code>").And.Contain("<RequestId>"));
        Assert.That(response.Headers.Contains("x-amz-request-id"), Is.True);
        Assert.That(await ObjectCount(), Is.Zero);
    }

    [Test]
    public async Task A_clock_skewed_by_more_than_15_minutes_is_RequestTimeTooSkewed()
    {
        _time.Shift = TimeSpan.FromMinutes(16);
        using var http = new HttpClient();
        var request = TestSigner.Signed(HttpMethod.Put, new Uri(_server.Url), $"/{Bucket}/skewed", "x"u8.ToArray(),
            S3GatewayServer.AccessKey, S3GatewayServer.SecretKey);
        var response = await http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("<Code>RequestTimeTooSkewed</Code>"));
        _time.Shift = TimeSpan.FromMinutes(14);
        var within = await http.SendAsync(TestSigner.Signed(HttpMethod.Put, new Uri(_server.Url), $"/{Bucket}/within", "x"u8.ToArray(),
            S3GatewayServer.AccessKey, S3GatewayServer.SecretKey));
        Assert.That(within.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the test signer itself is right");
        _time.Shift = TimeSpan.Zero;
        using var s3 = _server.Client();
        await s3.DeleteObjectAsync(Bucket, "within");
        Assert.That(await ObjectCount(), Is.Zero);
    }

    [Test]
    public async Task An_expired_presigned_url_is_AccessDenied()
    {
        using var s3 = _server.Client();
        var url = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = Bucket, Key = "late", Verb = HttpVerb.PUT, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Protocol.HTTP });
        _time.Shift = TimeSpan.FromMinutes(6);
        using var http = new HttpClient();
        var response = await http.PutAsync(url, new StringContent("x"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(body, Does.Contain("<Code>AccessDenied</Code>").And.Contain("expired"));
        _time.Shift = TimeSpan.Zero;
        Assert.That(await ObjectCount(), Is.Zero);
    }
}
