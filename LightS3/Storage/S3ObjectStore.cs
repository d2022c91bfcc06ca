using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace LightS3.Storage;

/// <summary>
/// The S3 store (AWS S3, Ceph RGW, MinIO, R2). Creates use <c>If-None-Match: *</c> and updates <c>If-Match</c>
/// so optimistic locking is a real compare-and-swap on the server. Handles Ceph RGW 16's quirks:
/// the <c>If-Match</c> ETag is sent unquoted, a losing conditional racer may get a 500 (the object's write id is
/// read back before deciding, see <see cref="WriteIds"/>), and <c>If-Match</c> on DELETE is ignored (so unless
/// <see cref="S3StoreOptions.DeleteIfMatchEnforced"/> says the server honours it, a HEAD checks first).
/// A missing bucket (<c>NoSuchBucket</c>) is never read as a missing key or a failed precondition: every operation
/// then throws <see cref="BucketNotFoundException"/>. A HEAD's 404 carries no error code, so it only means "no such
/// key" once the bucket is known to exist (checked with one HeadBucket the first time, or by any earlier success).
/// </summary>
public sealed partial class S3ObjectStore : IVersionedObjectStore, IDisposable
{
    private readonly IAmazonS3 _s3;
    private readonly S3StoreOptions _options;
    private readonly RequestCounter _counter;
    private readonly string _basePath;
    private volatile bool _bucketConfirmed;
    private readonly bool _ownsClient;

    /// <summary>Creates a store over a new S3 client built from <paramref name="options"/>.</summary>
    public S3ObjectStore(S3StoreOptions options, RequestCounter counter) : this(options, counter, null) { }

    /// <summary>
    /// Creates a store over <paramref name="client"/> (e.g. the app's <c>IAmazonS3</c> from AWSSDK.Extensions.NETCore.Setup, so AWS
    /// profiles and credential chains work the AWS way), or over a new client from <paramref name="options"/> when null. A given
    /// client is not disposed by the store; <paramref name="options"/> still supply bucket, prefix and timeouts.
    /// </summary>
    public S3ObjectStore(S3StoreOptions options, RequestCounter counter, IAmazonS3? client)
    {
        if (string.IsNullOrWhiteSpace(options.Bucket)) throw new ArgumentException("S3 bucket is required", nameof(options));
        _options = options;
        _counter = counter;
        _basePath = options.Prefix.Trim('/');
        _ownsClient = client is null;
        _s3 = client ?? CreateClient(options);
    }

    /// <inheritdoc />
    public string Kind => "s3";

    /// <summary>The bucket and base path, for logs.</summary>
    public string Location => $"s3://{_options.Bucket}/{_basePath}";

    /// <summary>The bucket holding the records.</summary>
    public string Bucket => _options.Bucket;

    /// <summary>The S3 endpoint, for logs and errors: the custom URL, or <c>AWS &lt;region&gt;</c>.</summary>
    public string Endpoint => string.IsNullOrEmpty(_options.ServiceUrl) ? $"AWS {_options.Region}" : _options.ServiceUrl;

    /// <summary>An S3 client configured as the store configures its own (endpoint, path style, region, checksums, retries), e.g. for diagnostics.</summary>
    public static AmazonS3Client CreateClient(S3StoreOptions o)
    {
        var config = ConfigOf(o);
        return string.IsNullOrEmpty(o.AccessKeyId)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(o.AccessKeyId, o.SecretAccessKey), config);
    }

    /// <summary>The client configuration of <see cref="CreateClient"/>.</summary>
    internal static AmazonS3Config ConfigOf(S3StoreOptions o)
    {
        var config = new AmazonS3Config
        {
            Timeout = o.RequestTimeout,
            MaxErrorRetry = o.MaxRetries,
            RetryMode = RequestRetryMode.Standard,
            // RGW (and most S3 clones) reject the SDK v4 default of always sending/validating CRC checksums.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (!string.IsNullOrEmpty(o.ServiceUrl))
        {
            config.ServiceURL = o.ServiceUrl;
            config.AuthenticationRegion = o.Region;
            config.ForcePathStyle = o.ForcePathStyle ?? true;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(o.Region);
            config.ForcePathStyle = o.ForcePathStyle ?? false;
        }
        return config;
    }

    /// <summary>
    /// Creates the bucket if it does not exist (used when <see cref="S3StoreOptions.CreateBucket"/> is set). The bucket
    /// is created in the configured region; a server that rejects that region as a location constraint
    /// (<c>InvalidLocationConstraint</c>: Ceph RGW and other S3 clones whose zone group is not named after an AWS region)
    /// gets a second request without one, so it creates the bucket in its default placement.
    /// </summary>
    public Task<BucketCreation> EnsureBucketAsync(CancellationToken cancellationToken = default) => Execute(async ct =>
    {
        // asked first: RGW answers 200 to re-creating a bucket one owns, so the PUT alone cannot tell
        if (await BucketExistsCoreAsync(ct)) return BucketCreation.AlreadyExisted;
        try
        {
            // the configured region, not the SDK's own fallback (AWS_REGION), decides the constraint; us-east-1 has none
            var request = new PutBucketRequest { BucketName = _options.Bucket, UseClientRegion = false };
            if (_options.Region != "us-east-1") request.BucketRegionName = _options.Region;
            await _s3.PutBucketAsync(request, ct);
            return BucketCreation.Created;
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
            return BucketCreation.AlreadyExisted;
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "InvalidLocationConstraint")
        {
            try
            {
                await _s3.PutBucketAsync(new PutBucketRequest { BucketName = _options.Bucket, UseClientRegion = false }, ct);
            }
            catch (AmazonS3Exception again) when (again.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
            {
                return BucketCreation.AlreadyExisted;
            }
            return BucketCreation.CreatedWithoutLocationConstraint;
        }
    }, cancellationToken, confirmsBucket: false);

    /// <summary>
    /// Whether the bucket exists (one HeadBucket). Throws <see cref="StorageUnavailableException"/> when S3 cannot be
    /// reached. A 403 counts as existing: the bucket is there, only HeadBucket is not permitted.
    /// </summary>
    public Task<bool> BucketExistsAsync(CancellationToken cancellationToken = default) => Execute(BucketExistsCoreAsync, cancellationToken, confirmsBucket: false);

    private async Task<bool> BucketExistsCoreAsync(CancellationToken ct)
    {
        _counter.Count(StoreOperation.Head);
        try
        {
            await _s3.HeadBucketAsync(new HeadBucketRequest { BucketName = _options.Bucket }, ct);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            _bucketConfirmed = false;
            return false;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.Forbidden)
        {
        }
        _bucketConfirmed = true;
        return true;
    }

    /// <inheritdoc />
    public Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        _counter.Count(StoreOperation.Get);
        return Execute<StoredObject?>(async ct =>
        {
            try
            {
                using var response = await _s3.GetObjectAsync(_options.Bucket, FullKey(key), ct);
                using var buffer = new MemoryStream(response.ContentLength > 0 ? (int)response.ContentLength : 256);
                await response.ResponseStream.CopyToAsync(buffer, ct);
                return new StoredObject(key, buffer.ToArray(), ETags.Normalize(response.ETag));
            }
            catch (AmazonS3Exception e) when (IsMissingKey(e))
            {
                return null;
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<string> PutAsync(string key, ReadOnlyMemory<byte> content, WriteCondition condition, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        EnsureConditionalWrites(key, condition);
        _counter.Count(StoreOperation.Put);
        return Execute(async ct =>
        {
            var request = new PutObjectRequest
            {
                BucketName = _options.Bucket,
                Key = FullKey(key),
                InputStream = new MemoryStream(content.ToArray(), writable: false),
                ContentType = "application/json",
                AutoCloseStream = true,
            };
            if (condition.Kind == WriteConditionKind.IfNoneMatch) request.IfNoneMatch = "*";
            if (condition.Kind == WriteConditionKind.IfMatch) request.IfMatch = condition.ETag; // unquoted: RGW 16 rejects quotes
            // a conditional write is tagged with its own id, so an ambiguous outcome is settled by this write's id, never by its bytes:
            // two writers may send the same bytes (every tombstone is alike), and only one of them won
            var writeId = condition.Kind == WriteConditionKind.None ? null : WriteIds.New();
            if (writeId is not null) request.Metadata.Add(WriteIds.MetadataKey, writeId);
            try
            {
                var response = await _s3.PutObjectAsync(request, ct);
                return ETags.Normalize(response.ETag);
            }
            catch (AmazonS3Exception e) when (writeId is not null && IsPreconditionFailure(e))
            {
                // The SDK retries a write whose response was lost (5xx, reset): the retry then fails its own precondition
                // although the first attempt landed (with the same id). Our id there means we won (1 HEAD, only on a refused write).
                if (_options.MaxRetries > 0 && await HeadWriteAsync(key, ct) is { } current && current.WriteId == writeId) return current.ETag;
                throw new PreconditionFailedException(key);
            }
            catch (AmazonS3Exception e) when (writeId is not null && (int)e.StatusCode >= 500)
            {
                // RGW can answer a losing conditional racer with 500: look before deciding.
                return await ResolveAmbiguousWriteAsync(key, writeId, condition, e, ct);
            }
        }, cancellationToken);
    }

    private async Task<string> ResolveAmbiguousWriteAsync(string key, string writeId, WriteCondition condition, Exception cause, CancellationToken ct)
    {
        var current = await HeadWriteAsync(key, ct);
        if (current is not null && current.Value.WriteId == writeId) return current.Value.ETag; // this very write is there: it won
        if (!InMemoryObjectStore.ConditionHolds(condition, current?.ETag)) throw new PreconditionFailedException(key);
        throw new StorageUnavailableException($"S3 write of '{key}' failed", cause);
    }

    // A 404 on a conditional PUT is the key missing for If-Match (AWS answers NoSuchKey) — unless the bucket is missing.
    private static bool IsPreconditionFailure(AmazonS3Exception e) =>
        e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict || IsMissingKey(e);

    private static bool IsMissingBucket(AmazonS3Exception e) => e.ErrorCode == "NoSuchBucket";

    private static bool IsMissingKey(AmazonS3Exception e) => e.StatusCode == HttpStatusCode.NotFound && !IsMissingBucket(e);

    private BucketNotFoundException MissingBucket(Exception? cause)
    {
        _bucketConfirmed = false;
        return new BucketNotFoundException(_options.Bucket, Endpoint, cause);
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string key, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        var expected = ifMatch is null ? null : ETags.Normalize(ifMatch);
        if (_options.DeleteIfMatchEnforced) return Execute(ct => SendDeleteAsync(key, expected ?? "*", ct), cancellationToken);
        return Execute(async ct =>
        {
            // S3 DELETE is idempotent (204 for a missing key) and RGW ignores If-Match on it: a HEAD decides both.
            var current = await HeadETagAsync(key, ct);
            if (current is null) return false;
            if (expected is not null && expected != "*" && expected != current) throw new PreconditionFailedException(key);
            return await SendDeleteAsync(key, expected, ct);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteObservedAsync(string key, string observedETag, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        return Execute(ct => SendDeleteAsync(key, ETags.Normalize(observedETag), ct), cancellationToken);
    }

    /// <inheritdoc />
    public bool AtomicConditionalDelete => _options.DeleteIfMatchEnforced;

    private async Task<bool> SendDeleteAsync(string key, string? ifMatch, CancellationToken ct)
    {
        _counter.Count(StoreOperation.Delete);
        try
        {
            await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _options.Bucket, Key = FullKey(key), IfMatch = ifMatch }, ct);
            return true;
        }
        catch (AmazonS3Exception e) when (ifMatch is not null && e.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            throw new PreconditionFailedException(key);
        }
        catch (AmazonS3Exception e) when (ifMatch is not null && IsMissingKey(e))
        {
            return false;
        }
    }

    private async Task<string?> HeadETagAsync(string key, CancellationToken ct) => (await HeadWriteAsync(key, ct))?.ETag;

    /// <summary>The ETag of <paramref name="key"/> and the id of the conditional write that stored it (1 HEAD); null when missing.</summary>
    private async Task<(string ETag, string? WriteId)?> HeadWriteAsync(string key, CancellationToken ct)
    {
        _counter.Count(StoreOperation.Head);
        try
        {
            var meta = await _s3.GetObjectMetadataAsync(_options.Bucket, FullKey(key), ct);
            return (ETags.Normalize(meta.ETag), meta.Metadata[WriteIds.MetadataKey]);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // a HEAD's 404 has no body, so no error code: it is "no such key" only if the bucket exists
            if (IsMissingBucket(e) || (!_bucketConfirmed && !await BucketExistsCoreAsync(ct))) throw MissingBucket(e);
            return null;
        }
    }

    /// <inheritdoc />
    public Task<ObjectListing> ListAsync(string prefix, string? startAfter, int maxKeys, CancellationToken cancellationToken = default)
    {
        _counter.Count(StoreOperation.List);
        return Execute(async ct =>
        {
            var request = new ListObjectsV2Request
            {
                BucketName = _options.Bucket,
                Prefix = FullKey(prefix),
                MaxKeys = Math.Clamp(maxKeys, 1, 1000),
            };
            if (startAfter is not null) request.StartAfter = FullKey(startAfter);
            var response = await _s3.ListObjectsV2Async(request, ct);
            var skip = _basePath.Length == 0 ? 0 : _basePath.Length + 1;
            var entries = (response.S3Objects ?? [])
                .Select(o => new ObjectEntry(o.Key[skip..], ETags.Normalize(o.ETag), o.Size ?? 0, o.LastModified is { } m ? new DateTimeOffset(m.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.MinValue))
                .ToList();
            return new ObjectListing(entries, response.IsTruncated ?? false);
        }, cancellationToken);
    }

    private string FullKey(string key) => ObjectKeys.Join(_basePath, key);

    /// <summary>The store key of a bucket key (the base path removed), or null when it lies outside the base path.</summary>
    public string? StoreKeyOf(string bucketKey) =>
        _basePath.Length == 0 ? bucketKey
        : bucketKey.StartsWith(_basePath + "/", StringComparison.Ordinal) ? bucketKey[(_basePath.Length + 1)..] : null;

    /// <summary>
    /// A presigned POST policy for uploading <paramref name="key"/> straight to S3 (0 requests: signed locally). S3 itself
    /// then enforces the key, the exact <c>Content-Type</c> form field and a size within [<paramref name="minBytes"/>,
    /// <paramref name="maxBytes"/>], and rejects the form after <paramref name="expires"/>.
    /// </summary>
    public async Task<(string Url, IReadOnlyDictionary<string, string> Fields)> PresignPostAsync(string key, string contentType, long minBytes, long maxBytes, DateTimeOffset expires)
    {
        ObjectKeys.Validate(key);
        var request = new CreatePresignedPostRequest { BucketName = _options.Bucket, Key = FullKey(key), Expires = expires.UtcDateTime };
        request.Fields["Content-Type"] = contentType;
        request.Conditions.Add(S3PostCondition.ExactMatch("Content-Type", contentType));
        request.Conditions.Add(S3PostCondition.ContentLengthRange(minBytes, maxBytes));
        var response = await _s3.CreatePresignedPostAsync(request);
        return (response.Url, new Dictionary<string, string>(response.Fields));
    }

    /// <summary>
    /// A presigned GET of <paramref name="key"/> valid until <paramref name="expires"/> (0 requests), answering with
    /// <paramref name="contentType"/> and, when given, <paramref name="contentDisposition"/>. S3 serves ranges itself.
    /// </summary>
    public string PresignGet(string key, DateTimeOffset expires, string? contentType, string? contentDisposition)
    {
        ObjectKeys.Validate(key);
        var request = new GetPreSignedUrlRequest
        {
            BucketName = _options.Bucket,
            Key = FullKey(key),
            Verb = HttpVerb.GET,
            Expires = expires.UtcDateTime,
            Protocol = _options.ServiceUrl?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS,
        };
        if (contentType is not null) request.ResponseHeaderOverrides.ContentType = contentType;
        if (contentDisposition is not null) request.ResponseHeaderOverrides.ContentDisposition = contentDisposition;
        return _s3.GetPreSignedURL(request);
    }

    /// <summary>Size, content type and ETag of <paramref name="key"/> (1 HEAD), or null when it does not exist.</summary>
    public Task<ObjectHead?> HeadAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        return Execute<ObjectHead?>(async ct =>
        {
            _counter.Count(StoreOperation.Head);
            try
            {
                var meta = await _s3.GetObjectMetadataAsync(_options.Bucket, FullKey(key), ct);
                return new ObjectHead(meta.ContentLength, meta.Headers.ContentType, ETags.Normalize(meta.ETag));
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                if (IsMissingBucket(e) || (!_bucketConfirmed && !await BucketExistsCoreAsync(ct))) throw MissingBucket(e);
                return null;
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Runs one store operation under the operation timeout and turns every transport or server failure
    /// into <see cref="StorageUnavailableException"/>, so callers see "503", never a hang or a raw SDK error.
    /// </summary>
    /// <remarks>An operation that succeeds proves the bucket exists (<paramref name="confirmsBucket"/>).</remarks>
    private async Task<T> Execute<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken, bool confirmsBucket = true)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.OperationTimeout);
        try
        {
            var result = await operation(timeout.Token);
            if (confirmsBucket) _bucketConfirmed = true;
            return result;
        }
        catch (StorageException)
        {
            throw;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StorageUnavailableException($"S3 did not answer within {_options.OperationTimeout.TotalSeconds:0.###} s");
        }
        catch (AmazonS3Exception e) when (IsMissingBucket(e))
        {
            throw MissingBucket(e);
        }
        catch (AmazonServiceException e)
        {
            throw new StorageUnavailableException($"S3 error {(int)e.StatusCode} {e.ErrorCode}", e);
        }
        catch (Exception e) when (e is AmazonClientException or HttpRequestException or IOException or System.Net.Sockets.SocketException)
        {
            throw new StorageUnavailableException("S3 is unreachable", e);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsClient) _s3.Dispose();
    }
}

/// <summary>What a HEAD of an object reported.</summary>
/// <param name="Size">Size in bytes.</param>
/// <param name="ContentType">The stored <c>Content-Type</c>.</param>
/// <param name="ETag">The ETag, unquoted.</param>
public sealed record ObjectHead(long Size, string? ContentType, string ETag);

/// <summary>What <see cref="S3ObjectStore.EnsureBucketAsync"/> did.</summary>
public enum BucketCreation
{
    /// <summary>The bucket was there already.</summary>
    AlreadyExisted,
    /// <summary>The bucket was created in the configured region.</summary>
    Created,
    /// <summary>The server rejected the region as a location constraint; the bucket was created without one.</summary>
    CreatedWithoutLocationConstraint,
}
