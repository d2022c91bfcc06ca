using System.Runtime.CompilerServices;
using LightS3.Storage;

namespace LightS3.S3Api;

/// <summary>
/// An object as S3 sees it: the bytes at the bucket's store key plus its metadata sidecar; for a multipart object the
/// store key holds its <see cref="S3Manifest"/> and the bytes are the parts'.
/// </summary>
internal sealed record S3ObjectData(ReadOnlyMemory<byte> Content, S3ObjectMeta Meta, S3Manifest? Manifest = null)
{
    /// <summary>The ETag of what the store holds at the key (the manifest for a multipart object): what conditional writes compare.</summary>
    public string StoreETag => Meta.ETag;

    /// <summary>The ETag S3 reports (<c>md5-N</c> for a multipart object).</summary>
    public string ETag => Manifest?.ETag ?? Meta.ETag;

    public long Size => Manifest?.Size ?? Content.Length;
}

/// <summary>A write's <c>If-Match</c> / <c>If-None-Match</c> headers, as the client sent them (served ETags).</summary>
internal sealed record S3WriteCondition(string? IfMatch = null, string? IfNoneMatch = null)
{
    public static readonly S3WriteCondition None = new();
}

/// <summary>What a write reports back: the served ETag and Last-Modified.</summary>
internal sealed record S3Written(string ETag, DateTimeOffset LastModified);

/// <summary>
/// Reads and writes objects with their sidecars (bytes first, then the sidecar naming the bytes' ETag), and for multipart
/// objects their index entry; overwriting or deleting a multipart object deletes its parts.
/// </summary>
internal sealed class S3Object(IObjectStore store, TimeProvider time)
{
    public async Task<S3ObjectData?> ReadAsync(S3Bucket bucket, string key, CancellationToken ct)
    {
        var storeKey = bucket.StoreKey(key);
        var data = await store.GetAsync(storeKey, ct);
        if (data is null) return null;
        var sidecar = await store.GetAsync(S3Layout.MetaKey(bucket.Name, key), ct);
        if (sidecar is not null && S3ObjectMeta.Parse(sidecar.Content) is { } meta && meta.ETag == ETags.Normalize(data.ETag))
            return new S3ObjectData(data.Content, meta, meta.Multipart ? S3Manifest.Parse(data.Content) : null);
        // written by LightS3 itself (or a sidecar lost to a race): the listing knows when
        var listed = await store.ListAsync(storeKey, null, 1, ct);
        var modified = listed.Entries is [var e, ..] && e.Key == storeKey ? e.LastModified : time.GetUtcNow();
        var contentType = key.EndsWith(".json", StringComparison.Ordinal) ? "application/json" : null;
        return new S3ObjectData(data.Content, new S3ObjectMeta(ETags.Normalize(data.ETag), modified, contentType, [], []));
    }

    /// <summary>
    /// The bytes <c>[start, start + length)</c> of <paramref name="obj"/>, one part at a time for a multipart object
    /// (only one part is held in memory).
    /// </summary>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadRangeAsync(S3ObjectData obj, long start, long length,
        [EnumeratorCancellation] CancellationToken ct)
    {
        if (obj.Manifest is null)
        {
            yield return obj.Content.Slice((int)start, (int)length);
            yield break;
        }
        var end = start + length;
        long offset = 0;
        foreach (var part in obj.Manifest.Parts)
        {
            var partEnd = offset + part.Size;
            if (partEnd > start && offset < end)
            {
                var stored = await store.GetAsync(part.Key, ct);
                if (stored is null || stored.Content.Length != part.Size)
                    throw new InvalidOperationException($"multipart object part {part.Key} is missing or has changed");
                var from = Math.Max(start, offset) - offset;
                var to = Math.Min(end, partEnd) - offset;
                yield return stored.Content.Slice((int)from, (int)(to - from));
            }
            offset = partEnd;
            if (offset >= end) yield break;
        }
    }

    /// <summary>
    /// Writes the bytes (or a multipart object's <paramref name="manifest"/>) under <paramref name="requested"/> (412 when it
    /// fails), then the sidecar; parts of the multipart object it replaces are deleted.
    /// </summary>
    public async Task<S3Written> WriteAsync(S3Bucket bucket, string key, ReadOnlyMemory<byte> content, S3WriteCondition requested,
        Func<string, DateTimeOffset, S3ObjectMeta> meta, CancellationToken ct, S3Manifest? manifest = null)
    {
        var indexKey = S3Layout.IndexKey(bucket.Name, key);
        var previous = await store.GetAsync(indexKey, ct);
        var condition = await ResolveAsync(bucket, key, requested, ct);
        if (manifest is not null) content = manifest.ToBytes();
        string etag;
        try
        {
            etag = ETags.Normalize(await store.PutAsync(bucket.StoreKey(key), content, condition, ct));
        }
        catch (PreconditionFailedException)
        {
            // AWS answers a conditional write on a missing key with 404, not 412
            if (condition.Kind == WriteConditionKind.IfMatch && await store.GetAsync(bucket.StoreKey(key), ct) is null) throw S3Exception.NoSuchKey();
            throw S3Exception.PreconditionFailed();
        }
        var written = meta(etag, TruncatedNow()) with { Multipart = manifest is not null };
        await store.PutAsync(S3Layout.MetaKey(bucket.Name, key), written.ToBytes(), WriteCondition.None, ct);
        if (manifest is not null) await store.PutAsync(indexKey, new S3ManifestIndex(etag, manifest).ToBytes(), WriteCondition.None, ct);
        await ReleaseAsync(indexKey, previous, manifest, ct);
        return new S3Written(manifest?.ETag ?? etag, written.LastModified);
    }

    /// <summary>
    /// Deletes the object (and a multipart object's parts); with <paramref name="ifMatch"/> (AWS's conditional delete) a
    /// missing key is 404 and another ETag 412.
    /// </summary>
    public async Task DeleteAsync(S3Bucket bucket, string key, CancellationToken ct, string? ifMatch = null)
    {
        var indexKey = S3Layout.IndexKey(bucket.Name, key);
        var previous = await store.GetAsync(indexKey, ct);
        if (ifMatch is not null && ifMatch.Trim() != "*")
        {
            var current = await ReadAsync(bucket, key, ct) ?? throw S3Exception.NoSuchKey();
            if (!ETags.HeaderMatches(ifMatch, current.ETag)) throw S3Exception.PreconditionFailed();
            ifMatch = current.StoreETag;
        }
        try
        {
            if (!await store.DeleteAsync(bucket.StoreKey(key), ifMatch, ct) && ifMatch is not null) throw S3Exception.NoSuchKey();
        }
        catch (PreconditionFailedException)
        {
            throw S3Exception.PreconditionFailed();
        }
        await store.DeleteAsync(S3Layout.MetaKey(bucket.Name, key), null, ct);
        await ReleaseAsync(indexKey, previous, null, ct);
    }

    /// <summary>
    /// After a write or delete replaced the multipart object an index entry described, deletes its parts (no other manifest
    /// names them: part keys are per upload) and, unless the new object is multipart too, the entry itself — only if it
    /// is still the one read, so a racing completion's entry is never lost.
    /// </summary>
    private async Task ReleaseAsync(string indexKey, StoredObject? previous, S3Manifest? current, CancellationToken ct)
    {
        if (previous is null || S3ManifestIndex.Parse(previous.Content) is not { } old) return;
        var kept = current?.Parts.Select(p => p.Key).ToHashSet(StringComparer.Ordinal) ?? [];
        foreach (var part in old.Manifest.Parts)
            if (!kept.Contains(part.Key)) await store.DeleteAsync(part.Key, null, ct);
        if (current is not null) return;
        try
        {
            await store.DeleteAsync(indexKey, previous.ETag, ct);
        }
        catch (PreconditionFailedException)
        {
        }
    }

    /// <summary>
    /// The store condition that makes <paramref name="requested"/> atomic: the headers name served ETags (<c>md5-N</c> for
    /// multipart), so the current object is read, checked, and the write made conditional on exactly what was read.
    /// </summary>
    private async Task<WriteCondition> ResolveAsync(S3Bucket bucket, string key, S3WriteCondition requested, CancellationToken ct)
    {
        if (requested.IfNoneMatch?.Trim() == "*") return WriteCondition.IfNoneMatch;
        if (requested.IfMatch is null && requested.IfNoneMatch is null) return WriteCondition.None;
        var current = await ReadAsync(bucket, key, ct);
        if (requested.IfMatch is { } ifMatch)
        {
            if (current is null) throw S3Exception.NoSuchKey();
            if (!ETags.HeaderMatches(ifMatch, current.ETag)) throw S3Exception.PreconditionFailed();
        }
        else if (current is not null && ETags.HeaderMatches(requested.IfNoneMatch!, current.ETag)) throw S3Exception.PreconditionFailed();
        return current is null ? WriteCondition.IfNoneMatch : WriteCondition.IfMatch(current.StoreETag);
    }

    // HTTP dates have whole seconds; keeping milliseconds would make If-Modified-Since with the returned date mismatch
    private DateTimeOffset TruncatedNow()
    {
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
    }
}
