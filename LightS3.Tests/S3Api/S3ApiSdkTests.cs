using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using LightS3.Tests.Support;

namespace LightS3.Tests.S3Api;

/// <summary>The AWS SDK for .NET against the S3 API over the embedded store: objects, listings, ranges, conditions, copies.</summary>
public sealed class S3ApiSdkTests
{
    private S3GatewayServer _server = null!;
    private AmazonS3Client _s3 = null!;
    private string _bucket = null!;

    [OneTimeSetUp]
    public async Task Start() => _server = await S3GatewayServer.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    [SetUp]
    public async Task NewBucket()
    {
        _s3 = _server.Client();
        _bucket = $"b-{Guid.NewGuid():N}"[..20];
        await _s3.PutBucketAsync(_bucket);
    }

    [TearDown]
    public void DisposeClient() => _s3.Dispose();

    private Task Put(string key, string body = "x") => _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, ContentBody = body });

    private async Task<string> Read(string key)
    {
        using var response = await _s3.GetObjectAsync(_bucket, key);
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }

    [Test]
    public async Task Put_then_get_returns_bytes_md5_etag_content_type_and_user_metadata()
    {
        var put = new PutObjectRequest { BucketName = _bucket, Key = "dir/a b+c.txt", ContentBody = "hello", ContentType = "text/plain" };
        put.Metadata.Add("color", "blue");
        put.Headers.CacheControl = "max-age=60";
        var written = await _s3.PutObjectAsync(put);
        using var got = await _s3.GetObjectAsync(_bucket, "dir/a b+c.txt");
        Assert.That(new StreamReader(got.ResponseStream).ReadToEnd(), Is.EqualTo("hello"));
        Assert.That(got.ETag, Is.EqualTo($"\"{Convert.ToHexStringLower(MD5.HashData("hello"u8))}\"").And.EqualTo(written.ETag));
        Assert.That(got.Headers.ContentType, Is.EqualTo("text/plain"));
        Assert.That(got.Headers.CacheControl, Is.EqualTo("max-age=60"));
        Assert.That(got.Metadata["x-amz-meta-color"], Is.EqualTo("blue"));
        Assert.That(got.ResponseMetadata.RequestId, Is.Not.Empty, "x-amz-request-id on every response");
        var head = await _s3.GetObjectMetadataAsync(_bucket, "dir/a b+c.txt");
        Assert.That(head.ContentLength, Is.EqualTo(5));
        Assert.That(head.Metadata["x-amz-meta-color"], Is.EqualTo("blue"));
    }

    [Test]
    public async Task Missing_key_and_bucket_are_NoSuchKey_and_NoSuchBucket()
    {
        var key = Assert.CatchAsync<AmazonS3Exception>(() => _s3.GetObjectAsync(_bucket, "nope"));
        Assert.That((key!.ErrorCode, key.StatusCode), Is.EqualTo(("NoSuchKey", HttpStatusCode.NotFound)));
        var bucket = Assert.CatchAsync<AmazonS3Exception>(() => _s3.GetObjectAsync("no-such-bucket-here", "k"));
        Assert.That(bucket!.ErrorCode, Is.EqualTo("NoSuchBucket"));
    }

    [Test]
    public async Task ListObjectsV2_rolls_up_common_prefixes_and_pages_with_continuation_tokens()
    {
        foreach (var k in new[] { "a/1", "a/2", "b/1", "c", "d", "e/x/y" }) await Put(k);
        var first = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Delimiter = "/", MaxKeys = 2 });
        Assert.That(first.CommonPrefixes, Is.EqualTo(new[] { "a/", "b/" }));
        Assert.That(first.S3Objects ?? [], Is.Empty);
        Assert.That(first.IsTruncated, Is.True);
        var second = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Delimiter = "/", MaxKeys = 2, ContinuationToken = first.NextContinuationToken });
        Assert.That(second.S3Objects.Select(o => o.Key), Is.EqualTo(new[] { "c", "d" }));
        var third = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Delimiter = "/", MaxKeys = 2, ContinuationToken = second.NextContinuationToken });
        Assert.That((third.CommonPrefixes, third.IsTruncated), Is.EqualTo((new List<string> { "e/" }, (bool?)false)));
        var prefixed = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = "a/", StartAfter = "a/1" });
        Assert.That(prefixed.S3Objects.Select(o => (o.Key, o.Size)), Is.EqualTo(new[] { ("a/2", (long?)1) }));
    }

    [Test]
    public async Task ListObjects_v1_pages_with_markers()
    {
        foreach (var k in new[] { "k1", "k2", "k3" }) await Put(k);
        var page = await _s3.ListObjectsAsync(new ListObjectsRequest { BucketName = _bucket, MaxKeys = 2 });
        Assert.That((page.S3Objects.Select(o => o.Key), page.IsTruncated), Is.EqualTo((new[] { "k1", "k2" }, (bool?)true)));
        var rest = await _s3.ListObjectsAsync(new ListObjectsRequest { BucketName = _bucket, Marker = "k2" });
        Assert.That(rest.S3Objects.Select(o => o.Key), Is.EqualTo(new[] { "k3" }));
    }

    [Test]
    public async Task Range_get_is_206_with_content_range_and_an_unsatisfiable_range_is_416()
    {
        await Put("r", "0123456789");
        using var part = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = "r", ByteRange = new ByteRange(2, 4) });
        Assert.That((part.HttpStatusCode, new StreamReader(part.ResponseStream).ReadToEnd(), part.ContentRange),
            Is.EqualTo((HttpStatusCode.PartialContent, "234", "bytes 2-4/10")));
        var e = Assert.CatchAsync<AmazonS3Exception>(() => _s3.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = "r", ByteRange = new ByteRange("bytes=20-") }));
        Assert.That((e!.StatusCode, e.ErrorCode), Is.EqualTo(((HttpStatusCode)416, "InvalidRange")));
    }

    [Test]
    public async Task Conditional_get_answers_304_and_412_and_conditional_put_refuses_with_412()
    {
        var etag = (await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "c", ContentBody = "v1" })).ETag;
        var notModified = Assert.CatchAsync<AmazonS3Exception>(() => _s3.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = "c", EtagToNotMatch = etag }));
        Assert.That(notModified!.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        var failed = Assert.CatchAsync<AmazonS3Exception>(() => _s3.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = "c", EtagToMatch = "\"0000\"" }));
        Assert.That(failed!.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
        var create = Assert.CatchAsync<AmazonS3Exception>(() => _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "c", ContentBody = "v2", IfNoneMatch = "*" }));
        Assert.That((create!.StatusCode, create.ErrorCode), Is.EqualTo((HttpStatusCode.PreconditionFailed, "PreconditionFailed")));
        var stale = Assert.CatchAsync<AmazonS3Exception>(() => _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "c", ContentBody = "v3", IfMatch = "\"0000\"" }));
        Assert.That(stale!.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
        Assert.That(await Read("c"), Is.EqualTo("v1"), "a refused write stores nothing");
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "c", ContentBody = "v4", IfMatch = etag });
        Assert.That(await Read("c"), Is.EqualTo("v4"));
    }

    [Test]
    public async Task If_None_Match_with_an_ETag_and_If_Match_star_on_put()
    {
        var missing = Assert.CatchAsync<AmazonS3Exception>(() => _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "d", ContentBody = "x", IfMatch = "*" }));
        Assert.That((missing!.StatusCode, missing.ErrorCode), Is.EqualTo((HttpStatusCode.NotFound, "NoSuchKey")), "If-Match: * needs the object");
        var etag = (await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "d", ContentBody = "v1", IfNoneMatch = "\"0000\"" })).ETag;
        var same = Assert.CatchAsync<AmazonS3Exception>(() => _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "d", ContentBody = "v2", IfNoneMatch = etag }));
        Assert.That(same!.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
        Assert.That(await Read("d"), Is.EqualTo("v1"));
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "d", ContentBody = "v3", IfNoneMatch = "\"0000\"" });
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "d", ContentBody = "v4", IfMatch = "*" });
        Assert.That(await Read("d"), Is.EqualTo("v4"));
    }

    [Test]
    public async Task Copy_keeps_metadata_by_default_and_replaces_it_on_request()
    {
        var put = new PutObjectRequest { BucketName = _bucket, Key = "src", ContentBody = "data", ContentType = "text/x-src" };
        put.Metadata.Add("m", "1");
        await _s3.PutObjectAsync(put);
        await _s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = _bucket, SourceKey = "src", DestinationBucket = _bucket, DestinationKey = "copy" });
        var copy = await _s3.GetObjectMetadataAsync(_bucket, "copy");
        Assert.That((copy.Headers.ContentType, copy.Metadata["x-amz-meta-m"]), Is.EqualTo(("text/x-src", "1")));
        var replace = new CopyObjectRequest { SourceBucket = _bucket, SourceKey = "src", DestinationBucket = _bucket, DestinationKey = "src", MetadataDirective = S3MetadataDirective.REPLACE, ContentType = "text/new" };
        await _s3.CopyObjectAsync(replace);
        var replaced = await _s3.GetObjectMetadataAsync(_bucket, "src");
        Assert.That((replaced.Headers.ContentType, replaced.Metadata.Keys.Count), Is.EqualTo(("text/new", 0)));
        Assert.That(await Read("src"), Is.EqualTo("data"));
        var self = Assert.CatchAsync<AmazonS3Exception>(() => _s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = _bucket, SourceKey = "src", DestinationBucket = _bucket, DestinationKey = "src" }));
        Assert.That(self!.ErrorCode, Is.EqualTo("InvalidRequest"));
    }

    [Test]
    public async Task DeleteObjects_reports_each_key_and_quiet_mode_reports_none()
    {
        foreach (var k in new[] { "d1", "d2", "d3" }) await Put(k);
        var verbose = await _s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = _bucket, Objects = [new() { Key = "d1" }, new() { Key = "d2" }] });
        Assert.That(verbose.DeletedObjects.Select(d => d.Key), Is.EqualTo(new[] { "d1", "d2" }));
        var quiet = await _s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = _bucket, Quiet = true, Objects = [new() { Key = "d3" }] });
        Assert.That(quiet.DeletedObjects ?? [], Is.Empty);
        var left = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket });
        Assert.That(left.S3Objects ?? [], Is.Empty);
    }

    [Test]
    public async Task Buckets_are_listed_and_only_empty_ones_deleted()
    {
        await Put("keep");
        var list = await _s3.ListBucketsAsync();
        Assert.That(list.Buckets.Select(b => b.BucketName), Does.Contain(_bucket));
        var again = Assert.CatchAsync<AmazonS3Exception>(() => _s3.PutBucketAsync(_bucket));
        Assert.That(again!.ErrorCode, Is.EqualTo("BucketAlreadyOwnedByYou"));
        var notEmpty = Assert.CatchAsync<AmazonS3Exception>(() => _s3.DeleteBucketAsync(_bucket));
        Assert.That((notEmpty!.StatusCode, notEmpty.ErrorCode), Is.EqualTo((HttpStatusCode.Conflict, "BucketNotEmpty")));
        await _s3.DeleteObjectAsync(_bucket, "keep");
        await _s3.DeleteBucketAsync(_bucket);
        var gone = Assert.CatchAsync<AmazonS3Exception>(() => _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket }));
        Assert.That(gone!.ErrorCode, Is.EqualTo("NoSuchBucket"));
    }

    [Test]
    public async Task Presigned_put_and_get_work_with_plain_http()
    {
        using var http = new HttpClient();
        var putUrl = await _s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = _bucket, Key = "p.txt", Verb = HttpVerb.PUT, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Protocol.HTTP });
        var put = await http.PutAsync(putUrl, new StringContent("presigned"));
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());
        var getUrl = await _s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = _bucket, Key = "p.txt", Verb = HttpVerb.GET, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Protocol.HTTP });
        Assert.That(await http.GetStringAsync(getUrl), Is.EqualTo("presigned"));
        var tampered = await http.GetAsync(getUrl.Replace("p.txt", "q.txt"));
        Assert.That(tampered.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await tampered.Content.ReadAsStringAsync(), Does.Contain("<Code>SignatureDoesNotMatch</Code>"));
    }

    [Test]
    public async Task Folder_markers_are_objects_listed_in_S3_order_and_rolled_up_under_their_folder()
    {
        foreach (var key in new[] { "dir/", "dir/a", "dir0", "dir/sub/", "dir/sub/x" }) await Put(key, key == "dir/" ? "" : "x");
        var all = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket });
        Assert.That(all.S3Objects.Select(o => o.Key), Is.EqualTo(new[] { "dir/", "dir/a", "dir/sub/", "dir/sub/x", "dir0" }));
        var top = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Delimiter = "/" });
        Assert.That(top.CommonPrefixes, Is.EqualTo(new[] { "dir/" }));
        Assert.That(top.S3Objects.Select(o => o.Key), Is.EqualTo(new[] { "dir0" }));
        var inside = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = "dir/", Delimiter = "/" });
        Assert.That(inside.S3Objects.Select(o => o.Key), Is.EqualTo(new[] { "dir/", "dir/a" }));
        Assert.That(inside.CommonPrefixes, Is.EqualTo(new[] { "dir/sub/" }));
        Assert.That((await _s3.GetObjectMetadataAsync(_bucket, "dir/")).ContentLength, Is.Zero);
        await _s3.DeleteObjectAsync(_bucket, "dir/");
        Assert.That(await Read("dir/a"), Is.EqualTo("x"), "deleting the marker leaves the folder's objects");
        Assert.That((await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = "dir/" })).S3Objects.Select(o => o.Key),
            Is.EqualTo(new[] { "dir/a", "dir/sub/", "dir/sub/x" }));
    }
}
