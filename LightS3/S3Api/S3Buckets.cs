using System.Collections.Concurrent;
using System.Text.Json;
using LightS3.Storage;

namespace LightS3.S3Api;

/// <summary>
/// The buckets the gateway serves: the ones configuration maps onto prefixes of the store, and the ones clients create,
/// recorded as <c>_lights3/s3/buckets/{name}</c> (created with <c>If-None-Match: *</c>, so two creators never both win).
/// </summary>
internal sealed class S3Buckets(IObjectStore store, S3ApiOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, S3Bucket> _created = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _started = time.GetUtcNow();

    private sealed record Record(DateTimeOffset Created);

    public async Task<S3Bucket?> FindAsync(string name, CancellationToken ct)
    {
        if (options.Buckets.TryGetValue(name, out var mapped)) return Mapped(name, mapped);
        if (_created.TryGetValue(name, out var known)) return known;
        if (!S3Keys.IsValidBucketName(name)) return null;
        var stored = await store.GetAsync(S3Layout.BucketKey(name), ct);
        if (stored is null) return null;
        return _created[name] = Created(name, Parse(stored.Content));
    }

    public async Task<S3Bucket> RequireAsync(string name, CancellationToken ct) =>
        await FindAsync(name, ct) ?? throw S3Exception.NoSuchBucket();

    public async Task<IReadOnlyList<S3Bucket>> ListAsync(CancellationToken ct)
    {
        var all = options.Buckets.Select(b => Mapped(b.Key, b.Value)).ToList();
        await foreach (var entry in store.EnumerateAsync(S3Layout.BucketsPrefix, null, ct))
        {
            var name = entry.Key[S3Layout.BucketsPrefix.Length..];
            if (!options.Buckets.ContainsKey(name)) all.Add(Created(name, entry.LastModified));
        }
        return all.OrderBy(b => b.Name, StringComparer.Ordinal).ToList();
    }

    public async Task CreateAsync(string name, CancellationToken ct)
    {
        if (!S3Keys.IsValidBucketName(name)) throw new S3Exception(400, "InvalidBucketName", "The specified bucket is not valid.");
        if (options.Buckets.ContainsKey(name)) throw AlreadyOwned();
        var now = time.GetUtcNow();
        try
        {
            await store.PutAsync(S3Layout.BucketKey(name), JsonSerializer.SerializeToUtf8Bytes(new Record(now)), WriteCondition.IfNoneMatch, ct);
        }
        catch (PreconditionFailedException)
        {
            throw AlreadyOwned();
        }
        _created[name] = Created(name, now);
    }

    /// <summary>Deletes an empty created bucket, after <paramref name="beforeDelete"/> (which aborts its multipart uploads).</summary>
    public async Task DeleteAsync(S3Bucket bucket, CancellationToken ct, Func<Task>? beforeDelete = null)
    {
        if (bucket.Mapped) throw S3Exception.AccessDenied("Buckets mapped by configuration cannot be deleted.");
        var listing = await store.ListAsync(bucket.StorePrefix, null, 1, ct);
        if (listing.Entries.Count > 0) throw new S3Exception(409, "BucketNotEmpty", "The bucket you tried to delete is not empty");
        if (beforeDelete is not null) await beforeDelete();
        _created.TryRemove(bucket.Name, out _);
        await store.DeleteAsync(S3Layout.BucketKey(bucket.Name), null, ct);
    }

    private static S3Exception AlreadyOwned() =>
        new(409, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.");

    private S3Bucket Mapped(string name, S3ApiBucketOptions o)
    {
        var prefix = o.Prefix.Trim('/');
        return new S3Bucket(name, prefix.Length == 0 ? "" : prefix + "/", Mapped: true, o.Raw, o.AnonymousRead, _started);
    }

    private static S3Bucket Created(string name, DateTimeOffset created) =>
        new(name, S3Layout.DataPrefix(name), Mapped: false, Raw: true, AnonymousRead: false, created);

    private static DateTimeOffset Parse(ReadOnlyMemory<byte> content)
    {
        try
        {
            return JsonSerializer.Deserialize<Record>(content.Span)?.Created ?? DateTimeOffset.UnixEpoch;
        }
        catch (JsonException)
        {
            return DateTimeOffset.UnixEpoch;
        }
    }
}
