using LightS3.Storage;

namespace LightS3.S3Api;

/// <summary>An object as S3 sees it: the bytes at the bucket's store key plus its metadata sidecar.</summary>
internal sealed record S3ObjectData(ReadOnlyMemory<byte> Content, S3ObjectMeta Meta)
{
    public string ETag => Meta.ETag;
}

/// <summary>Reads and writes objects with their sidecars (bytes first, then the sidecar naming the bytes' ETag).</summary>
internal sealed class S3Object(IObjectStore store, TimeProvider time)
{
    public async Task<S3ObjectData?> ReadAsync(S3Bucket bucket, string key, CancellationToken ct)
    {
        var storeKey = bucket.StoreKey(key);
        var data = await store.GetAsync(storeKey, ct);
        if (data is null) return null;
        var sidecar = await store.GetAsync(S3Layout.MetaKey(bucket.Name, key), ct);
        if (sidecar is not null && S3ObjectMeta.Parse(sidecar.Content) is { } meta && meta.ETag == data.ETag)
            return new S3ObjectData(data.Content, meta);
        // written by LightS3 itself (or a sidecar lost to a race): the listing knows when
        var listed = await store.ListAsync(storeKey, null, 1, ct);
        var modified = listed.Entries is [var e, ..] && e.Key == storeKey ? e.LastModified : time.GetUtcNow();
        var contentType = key.EndsWith(".json", StringComparison.Ordinal) ? "application/json" : null;
        return new S3ObjectData(data.Content, new S3ObjectMeta(data.ETag, modified, contentType, [], []));
    }

    /// <summary>Writes the bytes under <paramref name="condition"/> (412 when it fails), then the sidecar.</summary>
    public async Task<S3ObjectMeta> WriteAsync(S3Bucket bucket, string key, ReadOnlyMemory<byte> content, WriteCondition condition,
        Func<string, DateTimeOffset, S3ObjectMeta> meta, CancellationToken ct)
    {
        string etag;
        try
        {
            etag = await store.PutAsync(bucket.StoreKey(key), content, condition, ct);
        }
        catch (PreconditionFailedException)
        {
            // AWS answers a conditional write on a missing key with 404, not 412
            if (condition.Kind == WriteConditionKind.IfMatch && await store.GetAsync(bucket.StoreKey(key), ct) is null) throw S3Exception.NoSuchKey();
            throw S3Exception.PreconditionFailed();
        }
        var written = meta(ETags.Normalize(etag), TruncatedNow());
        await store.PutAsync(S3Layout.MetaKey(bucket.Name, key), written.ToBytes(), WriteCondition.None, ct);
        return written;
    }

    /// <summary>Deletes the object; with <paramref name="ifMatch"/> (AWS's conditional delete) a missing key is 404 and another ETag 412.</summary>
    public async Task DeleteAsync(S3Bucket bucket, string key, CancellationToken ct, string? ifMatch = null)
    {
        try
        {
            if (!await store.DeleteAsync(bucket.StoreKey(key), ifMatch, ct) && ifMatch is not null) throw S3Exception.NoSuchKey();
        }
        catch (PreconditionFailedException)
        {
            throw S3Exception.PreconditionFailed();
        }
        await store.DeleteAsync(S3Layout.MetaKey(bucket.Name, key), null, ct);
    }

    // HTTP dates have whole seconds; keeping milliseconds would make If-Modified-Since with the returned date mismatch
    private DateTimeOffset TruncatedNow()
    {
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
    }
}
