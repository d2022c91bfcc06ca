using LightS3.Storage;

namespace LightS3.Tests.Time;

/// <summary>
/// An in-memory store that keeps every version of every object and enforces conditional writes on them, as AWS S3 does
/// on a versioned bucket: the versioned history path end to end, compare-and-swap included (Ceph RGW 16 cannot run it,
/// see <see cref="VersionedBucketTests"/>).
/// </summary>
public sealed class VersionedMemoryStore(RequestCounter counter) : IVersionedObjectStore
{
    private readonly InMemoryObjectStore _current = new(counter);
    private readonly Dictionary<string, List<(ObjectVersion Version, ReadOnlyMemory<byte> Content)>> _versions = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public string Kind => "memory-versioned";
    public bool AtomicConditionalDelete => true;

    public Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken = default) => _current.GetAsync(key, cancellationToken);

    public async Task<string> PutAsync(string key, ReadOnlyMemory<byte> content, WriteCondition condition, CancellationToken cancellationToken = default)
    {
        string etag;
        lock (_lock)
        {
            etag = _current.PutAsync(key, content, condition, cancellationToken).GetAwaiter().GetResult();
            if (!_versions.TryGetValue(key, out var list)) _versions[key] = list = [];
            list.Insert(0, (new ObjectVersion(Guid.NewGuid().ToString("N"), etag, content.Length, DateTimeOffset.UtcNow, true, false), content.ToArray()));
        }
        return await Task.FromResult(etag);
    }

    public Task<bool> DeleteAsync(string key, string? ifMatch = null, CancellationToken cancellationToken = default) => _current.DeleteAsync(key, ifMatch, cancellationToken);

    public Task<bool> DeleteObservedAsync(string key, string observedETag, CancellationToken cancellationToken = default) => _current.DeleteObservedAsync(key, observedETag, cancellationToken);

    public Task<ObjectListing> ListAsync(string prefix, string? startAfter, int maxKeys, CancellationToken cancellationToken = default) =>
        _current.ListAsync(prefix, startAfter, maxKeys, cancellationToken);

    public Task<bool> IsVersioningEnabledAsync(CancellationToken cancellationToken = default) => Task.FromResult(true);

    public Task<IReadOnlyList<ObjectVersion>> ListVersionsAsync(string key, CancellationToken cancellationToken = default)
    {
        counter.Count(StoreOperation.List);
        lock (_lock)
            return Task.FromResult<IReadOnlyList<ObjectVersion>>(_versions.TryGetValue(key, out var list)
                ? list.Select((v, i) => v.Version with { IsLatest = i == 0 }).ToList()
                : []);
    }

    public Task<StoredObject?> GetVersionAsync(string key, string versionId, CancellationToken cancellationToken = default)
    {
        counter.Count(StoreOperation.Get);
        lock (_lock)
            return Task.FromResult(_versions.TryGetValue(key, out var list) && list.FirstOrDefault(v => v.Version.VersionId == versionId) is { Content: var c, Version: var v }
                && v is not null ? new StoredObject(key, c, v.ETag) : null);
    }

    public Task DeleteVersionAsync(string key, string versionId, CancellationToken cancellationToken = default)
    {
        counter.Count(StoreOperation.Delete);
        lock (_lock)
            if (_versions.TryGetValue(key, out var list)) list.RemoveAll(v => v.Version.VersionId == versionId);
        return Task.CompletedTask;
    }

    /// <summary>How many versions of <paramref name="key"/> are stored.</summary>
    public int VersionCount(string key)
    {
        lock (_lock) return _versions.TryGetValue(key, out var list) ? list.Count : 0;
    }
}
