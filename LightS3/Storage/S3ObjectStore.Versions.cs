using Amazon.S3;
using Amazon.S3.Model;

namespace LightS3.Storage;

public sealed partial class S3ObjectStore
{
    private Task<bool>? _versioning;

    /// <inheritdoc />
    public Task<bool> IsVersioningEnabledAsync(CancellationToken cancellationToken = default)
    {
        var known = _versioning;
        if (known is { IsCompletedSuccessfully: true }) return known;
        var asked = Execute(async ct =>
        {
            _counter.Count(StoreOperation.Get);
            var response = await _s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = _options.Bucket }, ct);
            return response.VersioningConfig?.Status == VersionStatus.Enabled;
        }, cancellationToken);
        _versioning = asked; // a failure is asked again next time
        return asked;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ObjectVersion>> ListVersionsAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        return Execute<IReadOnlyList<ObjectVersion>>(async ct =>
        {
            var full = FullKey(key);
            var versions = new List<ObjectVersion>();
            var request = new ListVersionsRequest { BucketName = _options.Bucket, Prefix = full, MaxKeys = 1000 };
            while (true)
            {
                _counter.Count(StoreOperation.List);
                var response = await _s3.ListVersionsAsync(request, ct);
                foreach (var v in response.Versions ?? [])
                {
                    if (v.Key != full) continue; // the prefix also matches longer keys
                    versions.Add(new ObjectVersion(v.VersionId, ETags.Normalize(v.ETag ?? ""), v.Size ?? 0,
                        v.LastModified is { } m ? new DateTimeOffset(m.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.MinValue,
                        v.IsLatest ?? false, v.IsDeleteMarker ?? false));
                }
                if (response.IsTruncated != true) break;
                request.KeyMarker = response.NextKeyMarker;
                request.VersionIdMarker = response.NextVersionIdMarker;
            }
            return versions.OrderByDescending(v => v.IsLatest).ThenByDescending(v => v.LastModified).ToList();
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<StoredObject?> GetVersionAsync(string key, string versionId, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        _counter.Count(StoreOperation.Get);
        return Execute<StoredObject?>(async ct =>
        {
            try
            {
                using var response = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = _options.Bucket, Key = FullKey(key), VersionId = versionId }, ct);
                using var buffer = new MemoryStream(response.ContentLength > 0 ? (int)response.ContentLength : 256);
                await response.ResponseStream.CopyToAsync(buffer, ct);
                return new StoredObject(key, buffer.ToArray(), ETags.Normalize(response.ETag));
            }
            catch (AmazonS3Exception e) when (IsMissingKey(e) || e.ErrorCode is "NoSuchVersion" or "InvalidArgument")
            {
                return null;
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteVersionAsync(string key, string versionId, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        _counter.Count(StoreOperation.Delete);
        return Execute(async ct =>
        {
            await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _options.Bucket, Key = FullKey(key), VersionId = versionId }, ct);
            return true;
        }, cancellationToken);
    }
}
