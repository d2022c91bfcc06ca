using System.Net;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using LightS3.Storage;

namespace LightS3.Cli.Doctor;

/// <summary>
/// Probes the configured S3 endpoint with its own client (the store's configuration, none of the store's workarounds), so
/// each answer is the server's: bucket and credentials, read-after-write, which conditional requests it enforces,
/// versioning and clock skew. Writes only under <c>{prefix}/_lights3-doctor/</c> and removes what it wrote.
/// </summary>
public sealed class S3Checks(S3StoreOptions options, TimeSpan gcGrace)
{
    private const string WrongETag = "\"0123456789abcdef0123456789abcdef\"";

    /// <summary>Runs every check in order; a failed bucket check skips the rest.</summary>
    public async Task<IReadOnlyList<DoctorResult>> RunAsync(CancellationToken ct)
    {
        var results = new List<DoctorResult>();
        using var s3 = S3ObjectStore.CreateClient(options);
        var endpoint = string.IsNullOrEmpty(options.ServiceUrl) ? $"AWS {options.Region}" : options.ServiceUrl;
        var bucket = await BucketAsync(s3, endpoint, ct);
        results.Add(bucket);
        string[] rest = ["write", "read-after-write", "PUT If-None-Match: *", "PUT If-Match", "DELETE If-Match", "versioning"];
        if (bucket.Status != DoctorStatus.Ok)
        {
            results.AddRange(rest.Select(c => new DoctorResult(c, DoctorStatus.Skipped, "-", "needs the bucket")));
            results.Add(await ClockSkewAsync(ct));
            return results;
        }
        var key = $"{(options.Prefix.Trim('/') is { Length: > 0 } p ? p + "/" : "")}_lights3-doctor/{Guid.NewGuid():N}.json";
        try
        {
            var body = Encoding.UTF8.GetBytes($"{{\"probe\":\"{Guid.NewGuid():N}\"}}");
            var write = await WriteAsync(s3, key, body, ct);
            results.Add(write.Result);
            if (write.ETag is not { } etag)
            {
                results.AddRange(rest.Skip(1).SkipLast(1).Select(c => new DoctorResult(c, DoctorStatus.Skipped, "-", "needs a write")));
                results.Add(await VersioningAsync(s3, ct));
                results.Add(await ClockSkewAsync(ct));
                return results;
            }
            results.Add(await ReadAfterWriteAsync(s3, key, body, ct));
            results.Add(await IfNoneMatchAsync(s3, key, ct));
            var ifMatch = await IfMatchAsync(s3, key, etag, ct);
            results.Add(ifMatch);
            results.Add(await DeleteIfMatchAsync(s3, key, ct));
            results.Add(await VersioningAsync(s3, ct));
            results.Add(await ClockSkewAsync(ct));
        }
        finally
        {
            try { await s3.DeleteObjectAsync(options.Bucket, key, CancellationToken.None); } catch (AmazonS3Exception) { } catch (HttpRequestException) { }
        }
        return results;
    }

    private async Task<DoctorResult> BucketAsync(AmazonS3Client s3, string endpoint, CancellationToken ct)
    {
        const string check = "bucket and credentials";
        try
        {
            await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = options.Bucket, MaxKeys = 1, Prefix = options.Prefix }, ct);
            return new(check, DoctorStatus.Ok, $"s3://{options.Bucket} at {endpoint} lists", "LightS3 can reach its records");
        }
        catch (AmazonS3Exception e) when ((e.ErrorCode == "NoSuchBucket" || e.StatusCode == HttpStatusCode.NotFound) && options.CreateBucket)
        {
            return new(check, DoctorStatus.Warn, $"bucket '{options.Bucket}' does not exist yet at {endpoint}", "serve creates it at start (create_bucket: true); run doctor again after that for the other checks");
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket" || e.StatusCode == HttpStatusCode.NotFound)
        {
            return new(check, DoctorStatus.Fail, $"bucket '{options.Bucket}' does not exist at {endpoint}", "every request answers 503: create it, or set storage.create_bucket: true");
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            return new(check, DoctorStatus.Fail, $"denied: {e.ErrorCode}", "the credentials (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or the instance role) are wrong or lack s3:ListBucket");
        }
        catch (Exception e) when (e is Amazon.Runtime.AmazonServiceException or HttpRequestException or TaskCanceledException or IOException)
        {
            return new(check, DoctorStatus.Fail, $"unreachable: {e.Message}", "every request answers 503 until S3 answers: check storage.endpoint_url / AWS_ENDPOINT_URL and the network");
        }
    }

    private async Task<(DoctorResult Result, string? ETag)> WriteAsync(AmazonS3Client s3, string key, byte[] body, CancellationToken ct)
    {
        try
        {
            var put = await s3.PutObjectAsync(Put(key, body), ct);
            return (new("write", DoctorStatus.Ok, "PUT accepted", "records can be created and updated"), put.ETag);
        }
        catch (AmazonS3Exception e)
        {
            return (new("write", DoctorStatus.Fail, $"PUT refused: {(int)e.StatusCode} {e.ErrorCode}", "writes answer 503: the credentials lack s3:PutObject on this prefix"), null);
        }
    }

    private async Task<DoctorResult> ReadAfterWriteAsync(AmazonS3Client s3, string key, byte[] body, CancellationToken ct)
    {
        const string check = "read-after-write";
        using var get = await s3.GetObjectAsync(options.Bucket, key, ct);
        using var copy = new MemoryStream();
        await get.ResponseStream.CopyToAsync(copy, ct);
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = options.Bucket, Prefix = key }, ct);
        var readBack = copy.ToArray().AsSpan().SequenceEqual(body);
        var inListing = listed.S3Objects?.Any(o => o.Key == key) == true;
        return readBack && inListing
            ? new(check, DoctorStatus.Ok, "GET and LIST see the write at once", "reads after a write (and list pages) are current, as LightS3 assumes")
            : new(check, DoctorStatus.Fail, $"GET {(readBack ? "current" : "stale")}, LIST {(inListing ? "current" : "stale")}", "LightS3 needs strong read-after-write consistency: a list or read may miss records just written");
    }

    private async Task<DoctorResult> IfNoneMatchAsync(AmazonS3Client s3, string key, CancellationToken ct)
    {
        const string check = "PUT If-None-Match: *";
        var request = Put(key, "{\"overwritten\":true}"u8.ToArray());
        request.IfNoneMatch = "*";
        try
        {
            await s3.PutObjectAsync(request, ct);
            return new(check, DoctorStatus.Fail, "ignored: an existing object was overwritten", "creates and unique markers are not atomic here: two racing creates of one unique value can both succeed. Do not run LightS3 on this store");
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
        {
            return new(check, DoctorStatus.Ok, $"enforced ({(int)e.StatusCode})", "creates and unique markers are atomic");
        }
        catch (AmazonS3Exception e)
        {
            return new(check, DoctorStatus.Fail, $"refused: {(int)e.StatusCode} {e.ErrorCode}", "creates fail on this store: conditional PUT is not supported");
        }
    }

    private async Task<DoctorResult> IfMatchAsync(AmazonS3Client s3, string key, string etag, CancellationToken ct)
    {
        const string check = "PUT If-Match";
        var stale = Put(key, "{\"stale\":true}"u8.ToArray());
        stale.IfMatch = WrongETag.Trim('"');
        try
        {
            await s3.PutObjectAsync(stale, ct);
            return new(check, DoctorStatus.Fail, "ignored: a stale ETag overwrote the object", "updates are not compare-and-swap: concurrent updates lose writes. Do not run LightS3 on this store");
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
        {
            // enforced; now the current ETag must be accepted (unquoted, as LightS3 sends it: RGW rejects quotes)
        }
        catch (AmazonS3Exception e)
        {
            return new(check, DoctorStatus.Fail, $"refused: {(int)e.StatusCode} {e.ErrorCode}", "updates fail on this store: conditional PUT is not supported");
        }
        var current = Put(key, "{\"updated\":true}"u8.ToArray());
        current.IfMatch = ETags.Normalize(etag);
        try
        {
            await s3.PutObjectAsync(current, ct);
            return new(check, DoctorStatus.Ok, "enforced (stale ETag 412, current accepted)", "updates and deletes (tombstones) are compare-and-swap");
        }
        catch (AmazonS3Exception e)
        {
            return new(check, DoctorStatus.Fail, $"the current ETag was refused: {(int)e.StatusCode} {e.ErrorCode}", "every update would answer 409");
        }
    }

    private async Task<DoctorResult> DeleteIfMatchAsync(AmazonS3Client s3, string key, CancellationToken ct)
    {
        const string check = "DELETE If-Match";
        bool enforced;
        try
        {
            await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = options.Bucket, Key = key, IfMatch = WrongETag.Trim('"') }, ct);
            enforced = await ExistsAsync(s3, key, ct);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
        {
            enforced = true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.NotImplemented or HttpStatusCode.BadRequest)
        {
            enforced = false;
        }
        return (enforced, options.DeleteIfMatchEnforced) switch
        {
            (true, true) => new(check, DoctorStatus.Ok, "enforced", "delete_if_match_enforced: true is right for this store (one request per collected object)"),
            (true, false) => new(check, DoctorStatus.Ok, "enforced", "LightS3 uses tombstones, nothing to do; storage.delete_if_match_enforced: true would save a HEAD per garbage-collected object"),
            (false, false) => new(check, DoctorStatus.Ok, "ignored (the object was deleted)", "LightS3 uses tombstones, nothing to do: deletes are CAS PUTs and garbage collection checks with a HEAD first"),
            _ => new(check, DoctorStatus.Fail, "ignored (the object was deleted)", "storage.delete_if_match_enforced is true but this store ignores it: set it to false, or garbage collection may delete a record that changed meanwhile"),
        };
    }

    private async Task<bool> ExistsAsync(AmazonS3Client s3, string key, CancellationToken ct)
    {
        try
        {
            await s3.GetObjectMetadataAsync(options.Bucket, key, ct);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private async Task<DoctorResult> VersioningAsync(AmazonS3Client s3, CancellationToken ct)
    {
        const string check = "versioning";
        try
        {
            var status = (await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = options.Bucket }, ct)).VersioningConfig?.Status?.Value;
            return status == "Enabled"
                ? new(check, DoctorStatus.Warn, "enabled", "every update and tombstone keeps the old version: add a lifecycle rule expiring noncurrent versions, or storage grows with every write")
                : new(check, DoctorStatus.Ok, string.IsNullOrEmpty(status) ? "off" : status.ToLowerInvariant(), "overwritten and collected objects are gone (backups are lights3 backup's job)");
        }
        catch (AmazonS3Exception e)
        {
            return new(check, DoctorStatus.Warn, $"unknown ({(int)e.StatusCode} {e.ErrorCode})", "could not read the bucket's versioning (s3:GetBucketVersioning); if it is enabled, old versions accumulate");
        }
    }

    private async Task<DoctorResult> ClockSkewAsync(CancellationToken ct)
    {
        const string check = "clock skew";
        var url = string.IsNullOrEmpty(options.ServiceUrl) ? $"https://s3.{options.Region}.amazonaws.com/" : options.ServiceUrl;
        try
        {
            using var http = new HttpClient { Timeout = options.RequestTimeout };
            var before = DateTimeOffset.UtcNow;
            using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, url), ct);
            var after = DateTimeOffset.UtcNow;
            if (response.Headers.Date is not { } server) return new(check, DoctorStatus.Warn, "unknown (no Date header)", "could not compare clocks");
            var local = before + (after - before) / 2;
            var skew = server - local;
            var abs = skew.Duration();
            // Date has whole seconds: anything under 2 s is within the measurement
            var text = abs < TimeSpan.FromSeconds(2) ? "under 2 s" : $"{skew.TotalSeconds:+0;-0} s (S3 {(skew > TimeSpan.Zero ? "ahead" : "behind")})";
            if (abs >= TimeSpan.FromMinutes(15))
                return new(check, DoctorStatus.Fail, text, "S3 refuses signed requests beyond 15 minutes (RequestTimeTooSkewed): sync this machine's clock (NTP)");
            if (abs >= gcGrace / 10 || abs >= TimeSpan.FromSeconds(30))
                return new(check, DoctorStatus.Warn, text, $"garbage collection compares S3's LastModified with this clock (grace {gcGrace}), and tokens' exp/nbf allow 30 s: sync the clock (NTP)");
            return new(check, DoctorStatus.Ok, text, "token lifetimes and garbage collection's grace period are measured correctly");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new(check, DoctorStatus.Warn, $"unknown ({e.Message})", "could not compare clocks");
        }
    }

    private PutObjectRequest Put(string key, byte[] body) => new()
    {
        BucketName = options.Bucket,
        Key = key,
        InputStream = new MemoryStream(body, writable: false),
        ContentType = "application/json",
        AutoCloseStream = true,
    };
}
