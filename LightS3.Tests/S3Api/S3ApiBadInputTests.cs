using System.Net;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using LightS3.Tests.Support;

namespace LightS3.Tests.S3Api;

/// <summary>Bad input gets S3's error codes (never a 500) and stores nothing.</summary>
public sealed class S3ApiBadInputTests
{
    private S3GatewayServer _server = null!;
    private readonly HttpClient _http = new();
    private const string Bucket = "bad-input";

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await S3GatewayServer.StartAsync();
        using var s3 = _server.Client();
        await s3.PutBucketAsync(Bucket);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, string Body)> Send(HttpMethod method, string path, byte[]? body, string query = "")
    {
        var response = await _http.SendAsync(TestSigner.Signed(method, new Uri(_server.Url), path, body, S3GatewayServer.AccessKey, S3GatewayServer.SecretKey, query: query));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task AssertNothingStored()
    {
        using var s3 = _server.Client();
        Assert.That((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket })).KeyCount ?? 0, Is.Zero);
        var all = await _server.Store.ListAsync("_lights3/s3/meta/", null, 10);
        Assert.That(all.Entries, Is.Empty, "no metadata sidecar either");
    }

    [TestCase("/bad%FF%FEutf8", "InvalidURI", TestName = "A key that is not UTF-8 is InvalidURI")]
    public async Task Bad_keys_are_refused(string keyPath, string code)
    {
        var (status, body) = await Send(HttpMethod.Put, "/" + Bucket + keyPath, "x"u8.ToArray());
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), body);
        Assert.That(body, Does.Contain($"<Code>{code}</Code>"));
        await AssertNothingStored();
    }

    [Test]
    public async Task A_key_with_NUL_is_refused_before_it_reaches_the_store()
    {
        // Kestrel itself rejects a decoded NUL in the path (400, no S3 body); through a body it is InvalidArgument
        var (status, _) = await Send(HttpMethod.Put, $"/{Bucket}/k%00ey", "x"u8.ToArray());
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        var (deleteStatus, body) = await Send(HttpMethod.Post, $"/{Bucket}", "<Delete><Object><Key>k&#x1;ey</Key></Object></Delete>"u8.ToArray(), query: "delete");
        Assert.That(deleteStatus, Is.EqualTo(HttpStatusCode.BadRequest), body); // XML 1.0 cannot carry control characters at all
        await AssertNothingStored();
    }

    [TestCase("a/../b", TestName = "A dot-dot segment is InvalidArgument")]
    [TestCase("./b", TestName = "A dot segment is InvalidArgument")]
    public async Task Dot_segments_are_refused(string key)
    {
        using var s3 = _server.Client();
        // HttpClient resolves dot segments in URLs, so they reach the gateway through a copy source and a multi-delete
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "src", ContentBody = "x" });
        var copy = Assert.CatchAsync<AmazonS3Exception>(() => s3.CopyObjectAsync(Bucket, key, Bucket, "dest"));
        Assert.That((copy!.StatusCode, copy.ErrorCode), Is.EqualTo((HttpStatusCode.BadRequest, "InvalidArgument")));
        var delete = Assert.CatchAsync<DeleteObjectsException>(() => s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = Bucket, Objects = [new() { Key = key }] }));
        Assert.That(delete!.Response.DeleteErrors.Select(e => e.Code), Is.EqualTo(new[] { "InvalidArgument" }));
        await s3.DeleteObjectAsync(Bucket, "src");
        await AssertNothingStored();
    }

    [Test]
    public async Task A_key_over_1024_bytes_or_past_the_stores_limit_is_KeyTooLongError()
    {
        var (status, body) = await Send(HttpMethod.Put, $"/{Bucket}/{new string('k', 1025)}", "x"u8.ToArray());
        Assert.That((status, body.Contains("<Code>KeyTooLongError</Code>")), Is.EqualTo((HttpStatusCode.BadRequest, true)), body);
        // the bucket's store prefix counts against the stores' 1,024-character keys
        var longest = 1024 - $"_lights3/s3/data/{Bucket}/".Length;
        var (over, overBody) = await Send(HttpMethod.Put, $"/{Bucket}/{new string('k', longest + 1)}", "x"u8.ToArray());
        Assert.That((over, overBody.Contains("<Code>KeyTooLongError</Code>")), Is.EqualTo((HttpStatusCode.BadRequest, true)), overBody);
        await AssertNothingStored();
        var (ok, okBody) = await Send(HttpMethod.Put, $"/{Bucket}/{new string('k', longest)}", "x"u8.ToArray());
        Assert.That(ok, Is.EqualTo(HttpStatusCode.OK), okBody);
        await Send(HttpMethod.Delete, $"/{Bucket}/{new string('k', longest)}", null);
    }

    [TestCase("/lead", TestName = "A leading slash is InvalidArgument")]
    [TestCase("a//", TestName = "A double slash before a folder marker's is InvalidArgument")]
    [TestCase("a//b", TestName = "A double slash is InvalidArgument")]
    public async Task Empty_segments_are_InvalidArgument(string key)
    {
        var (status, body) = await Send(HttpMethod.Put, $"/{Bucket}/{key}", "x"u8.ToArray());
        Assert.That((status, body.Contains("<Code>InvalidArgument</Code>")), Is.EqualTo((HttpStatusCode.BadRequest, true)), body);
        await AssertNothingStored();
    }

    [TestCase("<Delete><Object><Key>a</Key></Object>", TestName = "Unclosed XML is MalformedXML")]
    [TestCase("<Delete></Delete>", TestName = "A Delete without objects is MalformedXML")]
    [TestCase("<Delete><Object><Nope/></Object></Delete>", TestName = "An object without a key is MalformedXML")]
    [TestCase("<!DOCTYPE d [<!ENTITY x \"y\">]><Delete><Object><Key>&x;</Key></Object></Delete>", TestName = "A DTD is MalformedXML")]
    public async Task Malformed_delete_bodies_are_MalformedXML(string xml)
    {
        using (var s3 = _server.Client()) await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "a", ContentBody = "kept" });
        var (status, body) = await Send(HttpMethod.Post, $"/{Bucket}", Encoding.UTF8.GetBytes(xml), query: "delete");
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), body);
        Assert.That(body, Does.Contain("<Code>MalformedXML</Code>"));
        using var client = _server.Client();
        Assert.That((await client.GetObjectMetadataAsync(Bucket, "a")).ContentLength, Is.EqualTo(4), "nothing was deleted");
        await client.DeleteObjectAsync(Bucket, "a");
    }

    [Test]
    public async Task A_wrong_Content_MD5_is_BadDigest_and_a_malformed_one_InvalidDigest()
    {
        using var s3 = _server.Client();
        var bad = new PutObjectRequest { BucketName = Bucket, Key = "md5", ContentBody = "data", MD5Digest = Convert.ToBase64String(new byte[16]) };
        var e = Assert.CatchAsync<AmazonS3Exception>(() => s3.PutObjectAsync(bad));
        Assert.That((e!.StatusCode, e.ErrorCode), Is.EqualTo((HttpStatusCode.BadRequest, "BadDigest")));
        var malformed = new PutObjectRequest { BucketName = Bucket, Key = "md5", ContentBody = "data", MD5Digest = "not-base64!" };
        var m = Assert.CatchAsync<AmazonS3Exception>(() => s3.PutObjectAsync(malformed));
        Assert.That(m!.ErrorCode, Is.EqualTo("InvalidDigest"));
        await AssertNothingStored();
    }

    [Test]
    public async Task A_body_that_does_not_match_its_signed_sha256_is_refused()
    {
        var request = TestSigner.Signed(HttpMethod.Put, new Uri(_server.Url), $"/{Bucket}/swapped", "signed"u8.ToArray(), S3GatewayServer.AccessKey, S3GatewayServer.SecretKey);
        request.Content = new ByteArrayContent("swappd"u8.ToArray());
        var response = await _http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("<Code>XAmzContentSHA256Mismatch</Code>"));
        await AssertNothingStored();
    }

    [Test]
    public async Task Bad_list_parameters_are_InvalidArgument()
    {
        var (status, body) = await Send(HttpMethod.Get, $"/{Bucket}", null, query: "list-type=2&max-keys=abc");
        Assert.That((status, body.Contains("<Code>InvalidArgument</Code>")), Is.EqualTo((HttpStatusCode.BadRequest, true)), body);
        var (tokenStatus, tokenBody) = await Send(HttpMethod.Get, $"/{Bucket}", null, query: "continuation-token=%21%21&list-type=2");
        Assert.That((tokenStatus, tokenBody.Contains("<Code>InvalidArgument</Code>")), Is.EqualTo((HttpStatusCode.BadRequest, true)), tokenBody);
    }

    [TestCase("Bad_Bucket")]
    [TestCase("foo.-bar")]
    [TestCase("foo-.bar")]
    public async Task Invalid_bucket_names_are_InvalidBucketName(string name)
    {
        var (status, body) = await Send(HttpMethod.Put, "/" + name, null);
        Assert.That((status, body.Contains("<Code>InvalidBucketName</Code>")), Is.EqualTo((HttpStatusCode.BadRequest, true)), body);
    }

    [Test]
    public async Task Non_ASCII_user_metadata_reads_back_RFC_2047_encoded_not_as_a_500()
    {
        using var http = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 });
        var put = TestSigner.Signed(HttpMethod.Put, new Uri(_server.Url), $"/{Bucket}/meta-latin1", "x"u8.ToArray(), S3GatewayServer.AccessKey, S3GatewayServer.SecretKey);
        put.Headers.TryAddWithoutValidation("x-amz-meta-name", "caf\u00e9");
        put.Headers.TryAddWithoutValidation("x-amz-meta-plain", "cafe");
        Assert.That((await http.SendAsync(put)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var get = await http.SendAsync(TestSigner.Signed(HttpMethod.Get, new Uri(_server.Url), $"/{Bucket}/meta-latin1", null, S3GatewayServer.AccessKey, S3GatewayServer.SecretKey));
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(get.Headers.GetValues("x-amz-meta-name").Single(), Is.EqualTo("=?UTF-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes("caf\u00e9")) + "?="));
        Assert.That(get.Headers.GetValues("x-amz-meta-plain").Single(), Is.EqualTo("cafe"), "ASCII values are returned as given");
        await Send(HttpMethod.Delete, $"/{Bucket}/meta-latin1", null);
    }
}
