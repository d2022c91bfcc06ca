using Amazon.S3;
using Amazon.S3.Model;

namespace LightS3.Storage;

public sealed partial class S3ObjectStore
{
    private Task<bool>? _versioning;
    private volatile bool _conditionalWritesBroken;

    /// <summary>
    /// Whether the server enforces <c>If-None-Match: *</c> and <c>If-Match</c> on PUT in this bucket, found with a probe
    /// object (4 requests). Ceph RGW 16 does not once bucket versioning is enabled: it refuses every <c>If-Match</c> PUT
    /// (even with the current ETag) and ignores <c>If-None-Match</c>. Compare-and-swap is then impossible, so from then on
    /// every conditional write fails with <see cref="StorageUnavailableException"/> (503) instead of corrupting data.
    /// </summary>
    public async Task<bool> ProbeConditionalWritesAsync(CancellationToken cancellationToken = default)
    {
        var key = $"_lights3/probe/{Guid.NewGuid():N}";
        _conditionalWritesBroken = false;
        var first = await PutAsync(key, "{\"probe\":1}"u8.ToArray(), WriteCondition.IfNoneMatch, cancellationToken);
        var broken = false;
        try
        {
            await PutAsync(key, "{\"probe\":2}"u8.ToArray(), WriteCondition.IfNoneMatch, cancellationToken);
            broken = true; // a second create of one key must fail
        }
        catch (PreconditionFailedException)
        {
        }
        if (!broken)
        {
            try
            {
                await PutAsync(key, "{\"probe\":3}"u8.ToArray(), WriteCondition.IfMatch(first), cancellationToken);
            }
            catch (PreconditionFailedException)
            {
                broken = true; // a swap on the current ETag must succeed
            }
        }
        try
        {
            foreach (var v in await ListVersionsAsync(key, cancellationToken)) await DeleteVersionAsync(key, v.VersionId, cancellationToken);
        }
        catch (StorageException)
        {
        }
        _conditionalWritesBroken = broken;
        return !broken;
    }

    private void EnsureConditionalWrites(string key, WriteCondition condition)
    {
        if (_conditionalWritesBroken && condition.Kind != WriteConditionKind.None)
            throw new StorageUnavailableException($"S3 bucket '{_options.Bucket}' does not enforce conditional writes (versioning is on and the server "
                + $"ignores If-None-Match / refuses If-Match there): refusing the write of '{key}'; turn bucket versioning off");
    }

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
