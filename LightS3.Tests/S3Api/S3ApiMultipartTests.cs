using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;
using LightS3.Storage;
using LightS3.Tests.Support;

namespace LightS3.Tests.S3Api;

/// <summary>
/// Multipart uploads through the gateway over the embedded store: each part is its own store object, completion writes a
/// manifest, GET streams the parts; bad completions answer S3's exact errors and store nothing.
/// </summary>
public sealed class S3ApiMultipartTests
{
    private const int MiB = 1024 * 1024;
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
        _bucket = $"mp-{Guid.NewGuid():N}"[..20];
        await _s3.PutBucketAsync(_bucket);
    }

    [TearDown]
    public void DisposeClient() => _s3.Dispose();

    private static byte[] Random(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private async Task<string> StartUpload(string key) =>
        (await _s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = key })).UploadId;

    private async Task<PartETag> UploadPart(string key, string uploadId, int number, byte[] data)
    {
        var response = await _s3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = _bucket, Key = key, UploadId = uploadId, PartNumber = number, InputStream = new MemoryStream(data),
        });
        return new PartETag(number, response.ETag);
    }

    private Task<CompleteMultipartUploadResponse> Complete(string key, string uploadId, params PartETag[] parts) =>
        _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = _bucket, Key = key, UploadId = uploadId, PartETags = [.. parts] });

    private async Task<byte[]> ReadAll(string key, ByteRange? range = null)
    {
        using var got = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = key, ByteRange = range });
        var buffer = new MemoryStream();
        await got.ResponseStream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private async Task<List<ObjectEntry>> StoreObjects(string prefix = "")
    {
        var all = new List<ObjectEntry>();
        await foreach (var e in _server.Store.EnumerateAsync(prefix, null)) all.Add(e);
        return all;
    }

    private async Task AssertAbsent(string key)
    {
        var e = Assert.CatchAsync<AmazonS3Exception>(() => _s3.GetObjectMetadataAsync(_bucket, key));
        Assert.That(e!.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), $"{key} must not have been stored");
    }

    [Test]
    public async Task TransferUtility_uploads_and_downloads_40_MB_as_parts_no_store_object_holds_whole()
    {
        var data = Random(40 * MiB, 1);
        using var transfer = new TransferUtility(_s3);
        await transfer.UploadAsync(new TransferUtilityUploadRequest
        {
            BucketName = _bucket, Key = "big/file.bin", InputStream = new MemoryStream(data), PartSize = 8 * MiB,
        });
        var head = await _s3.GetObjectMetadataAsync(_bucket, "big/file.bin");
        Assert.That(head.ContentLength, Is.EqualTo(data.Length));
        Assert.That(head.ETag, Does.EndWith("-5\""), "S3's multipart ETag: md5 of the part md5s, -count");
        using (var stream = await transfer.OpenStreamAsync(_bucket, "big/file.bin"))
        using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            var buffer = new byte[81920];
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0) sha.AppendData(buffer, 0, n);
            Assert.That(sha.GetHashAndReset(), Is.EqualTo(SHA256.HashData(data)), "the bytes read back are the bytes uploaded");
        }
        var largest = (await StoreObjects()).Max(o => o.Size);
        Assert.That(largest, Is.LessThanOrEqualTo(8 * MiB), "one store object per part; none holds the assembled object");
        var listed = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket });
        Assert.That(listed.S3Objects.Single().Size, Is.EqualTo(data.Length), "listings report the object's size, not its manifest's");
        Assert.That(listed.S3Objects.Single().ETag, Is.EqualTo(head.ETag));
    }

    [Test]
    public async Task Ranges_across_part_boundaries_and_the_small_last_part_read_back_exactly()
    {
        var first = Random(5 * MiB, 2);
        var last = Random(1000, 3);
        var id = await StartUpload("r.bin");
        var p1 = await UploadPart("r.bin", id, 1, first);
        var p2 = await UploadPart("r.bin", id, 2, last);
        await Complete("r.bin", id, p1, p2);
        var all = first.Concat(last).ToArray();
        Assert.That(await ReadAll("r.bin"), Is.EqualTo(all));
        var across = await ReadAll("r.bin", new ByteRange(5 * MiB - 10, 5 * MiB + 9));
        Assert.That(across, Is.EqualTo(all[(5 * MiB - 10)..(5 * MiB + 10)]));
        Assert.That(await ReadAll("r.bin", new ByteRange(5 * MiB + 5, 5 * MiB + 5)), Is.EqualTo(new[] { last[5] }));
    }

    [Test]
    public async Task Bad_completions_answer_S3_errors_and_store_nothing()
    {
        var big = Random(5 * MiB, 4);
        var id = await StartUpload("bad.bin");
        var p1 = await UploadPart("bad.bin", id, 1, big);
        var p2 = await UploadPart("bad.bin", id, 2, [1, 2, 3]);
        var p3 = await UploadPart("bad.bin", id, 3, [4]);
        // sent as written (the SDK would sort the parts)
        async Task Fails(string code, params PartETag[] parts)
        {
            var xml = "<CompleteMultipartUpload>" + string.Concat(parts.Select(p => $"<Part><PartNumber>{p.PartNumber}</PartNumber><ETag>{p.ETag}</ETag></Part>")) + "</CompleteMultipartUpload>";
            var request = TestSigner.Signed(HttpMethod.Post, new Uri(_server.Url), $"/{_bucket}/bad.bin", System.Text.Encoding.UTF8.GetBytes(xml),
                S3GatewayServer.AccessKey, S3GatewayServer.SecretKey, query: $"uploadId={id}");
            using var http = new HttpClient();
            var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), body);
            Assert.That(body, Does.Contain($"<Code>{code}</Code>"), string.Join(",", parts.Select(p => p.PartNumber)));
            await AssertAbsent("bad.bin");
        }
        await Fails("InvalidPartOrder", p2, p1);
        await Fails("InvalidPartOrder", p1, p1);
        await Fails("InvalidPart", p1, new PartETag(7, p2.ETag));
        await Fails("InvalidPart", p1, new PartETag(2, p1.ETag));
        await Fails("EntityTooSmall", p1, p2, p3);
        // positive control: the same upload completes once the parts are right, and the small part is dropped
        await Complete("bad.bin", id, p1, p3);
        Assert.That(await ReadAll("bad.bin"), Is.EqualTo(big.Append((byte)4).ToArray()));
        Assert.That(await PartsInStore(), Has.Count.EqualTo(2), "parts not completed are deleted");
    }

    private Task<List<ObjectEntry>> PartsInStore() => StoreObjects($"_lights3/s3/parts/{_bucket}/");

    [Test]
    public async Task Part_numbers_outside_1_to_10000_are_InvalidArgument()
    {
        var id = await StartUpload("n.bin");
        foreach (var number in new[] { 0, 10001 })
        {
            var e = Assert.CatchAsync<AmazonS3Exception>(() => UploadPart("n.bin", id, number, [1]));
            Assert.That((e!.StatusCode, e.ErrorCode), Is.EqualTo((HttpStatusCode.BadRequest, "InvalidArgument")), number.ToString());
        }
        Assert.That(await PartsInStore(), Is.Empty);
        await UploadPart("n.bin", id, 10000, [1]);
        Assert.That(await PartsInStore(), Has.Count.EqualTo(1), "positive control: 10000 is a part number");
    }

    [Test]
    public async Task Conditional_complete_If_None_Match_and_If_Match_fail_with_412_and_keep_the_object()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "c.bin", ContentBody = "old" });
        var id = await StartUpload("c.bin");
        var p1 = await UploadPart("c.bin", id, 1, [9]);
        foreach (var request in new[]
        {
            new CompleteMultipartUploadRequest { BucketName = _bucket, Key = "c.bin", UploadId = id, PartETags = [p1], IfNoneMatch = "*" },
            new CompleteMultipartUploadRequest { BucketName = _bucket, Key = "c.bin", UploadId = id, PartETags = [p1], IfMatch = "\"0123456789abcdef0123456789abcdef\"" },
        })
        {
            var e = Assert.CatchAsync<AmazonS3Exception>(() => _s3.CompleteMultipartUploadAsync(request));
            Assert.That((e!.StatusCode, e.ErrorCode), Is.EqualTo((HttpStatusCode.PreconditionFailed, "PreconditionFailed")));
            Assert.That(await ReadAll("c.bin"), Is.EqualTo("old"u8.ToArray()));
        }
        var current = await _s3.GetObjectMetadataAsync(_bucket, "c.bin");
        await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = _bucket, Key = "c.bin", UploadId = id, PartETags = [p1], IfMatch = current.ETag });
        Assert.That(await ReadAll("c.bin"), Is.EqualTo(new byte[] { 9 }), "positive control: the matching If-Match completes");
    }

    [Test]
    public async Task Abort_deletes_the_parts_and_overwriting_a_multipart_object_deletes_its_parts()
    {
        var aborted = await StartUpload("a.bin");
        await UploadPart("a.bin", aborted, 1, [1]);
        var uploads = await _s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = _bucket });
        Assert.That(uploads.MultipartUploads.Select(u => u.UploadId), Is.EqualTo(new[] { aborted }));
        await _s3.AbortMultipartUploadAsync(_bucket, "a.bin", aborted);
        Assert.That(await PartsInStore(), Is.Empty);
        var e = Assert.CatchAsync<AmazonS3Exception>(() => _s3.ListPartsAsync(new ListPartsRequest { BucketName = _bucket, Key = "a.bin", UploadId = aborted }));
        Assert.That(e!.ErrorCode, Is.EqualTo("NoSuchUpload"));

        var id = await StartUpload("o.bin");
        await Complete("o.bin", id, await UploadPart("o.bin", id, 1, [1, 2]));
        Assert.That(await PartsInStore(), Has.Count.EqualTo(1));
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "o.bin", ContentBody = "plain" });
        Assert.That(await PartsInStore(), Is.Empty, "the replaced object's parts are gone");
        Assert.That(await ReadAll("o.bin"), Is.EqualTo("plain"u8.ToArray()));
        var listed = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket });
        Assert.That(listed.S3Objects.Single().Size, Is.EqualTo(5), "the stale multipart index no longer applies");
    }

    [Test]
    public async Task UploadPartCopy_copies_a_range_of_a_multipart_source_and_ListParts_reports_it()
    {
        var src = Random(5 * MiB + 100, 5);
        var sid = await StartUpload("src.bin");
        await Complete("src.bin", sid, await UploadPart("src.bin", sid, 1, src[..(5 * MiB)]), await UploadPart("src.bin", sid, 2, src[(5 * MiB)..]));
        var id = await StartUpload("dst.bin");
        var copied = await _s3.CopyPartAsync(new CopyPartRequest
        {
            SourceBucket = _bucket, SourceKey = "src.bin", DestinationBucket = _bucket, DestinationKey = "dst.bin", UploadId = id,
            PartNumber = 1, FirstByte = 5 * MiB - 50, LastByte = 5 * MiB + 49,
        });
        var parts = await _s3.ListPartsAsync(new ListPartsRequest { BucketName = _bucket, Key = "dst.bin", UploadId = id });
        Assert.That(parts.Parts.Single().Size, Is.EqualTo(100));
        await Complete("dst.bin", id, new PartETag(1, copied.ETag));
        Assert.That(await ReadAll("dst.bin"), Is.EqualTo(src[(5 * MiB - 50)..(5 * MiB + 50)]));
        var next = await StartUpload("dst.bin");
        var beyond = Assert.CatchAsync<AmazonS3Exception>(() => _s3.CopyPartAsync(new CopyPartRequest
        {
            SourceBucket = _bucket, SourceKey = "src.bin", DestinationBucket = _bucket, DestinationKey = "dst.bin",
            UploadId = next, PartNumber = 1, FirstByte = 0, LastByte = src.Length,
        }));
        Assert.That(beyond!.ErrorCode, Is.EqualTo("InvalidRange"));
    }

    [Test]
    public async Task ListObjectVersions_lists_each_object_once_with_version_null_and_deleting_version_null_works()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "v1", ContentBody = "1" });
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "v2", ContentBody = "2" });
        var versions = await _s3.ListVersionsAsync(new ListVersionsRequest { BucketName = _bucket });
        Assert.That(versions.Versions.Select(v => (v.Key, v.VersionId, v.IsLatest)),
            Is.EqualTo(new[] { ("v1", "null", (bool?)true), ("v2", "null", (bool?)true) }));
        await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = "v1", VersionId = "null" });
        await _s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = _bucket, Objects = [new KeyVersion { Key = "v2", VersionId = "null" }] });
        Assert.That((await _s3.ListVersionsAsync(new ListVersionsRequest { BucketName = _bucket })).Versions ?? [], Is.Empty);
    }
}
