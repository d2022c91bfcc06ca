namespace LightS3.Storage;

/// <summary>An in-process store for unit tests and experiments; same semantics as the others, nothing persisted.</summary>
public sealed class InMemoryObjectStore(RequestCounter counter) : IObjectStore
{
    private readonly SortedDictionary<string, StoredObject> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _modified = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <inheritdoc />
    public string Kind => "memory";

    /// <inheritdoc />
    public Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        counter.Count(StoreOperation.Get);
        lock (_lock) return Task.FromResult(_objects.GetValueOrDefault(key));
    }

    /// <inheritdoc />
    public Task<string> PutAsync(string key, ReadOnlyMemory<byte> content, WriteCondition condition, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        counter.Count(StoreOperation.Put);
        var etag = ETags.Compute(content.Span);
        lock (_lock)
        {
            _objects.TryGetValue(key, out var existing);
            if (!ConditionHolds(condition, existing?.ETag)) throw new PreconditionFailedException(key);
            _objects[key] = new StoredObject(key, content.ToArray(), etag);
            _modified[key] = DateTimeOffset.UtcNow;
        }
        return Task.FromResult(etag);
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string key, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        counter.Count(StoreOperation.Delete);
        lock (_lock)
        {
            if (!_objects.TryGetValue(key, out var existing)) return Task.FromResult(false);
            if (ifMatch is not null && ifMatch != "*" && ETags.Normalize(ifMatch) != existing.ETag) throw new PreconditionFailedException(key);
            _objects.Remove(key);
            _modified.Remove(key);
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<bool> DeleteObservedAsync(string key, string observedETag, CancellationToken cancellationToken = default) =>
        DeleteAsync(key, observedETag, cancellationToken);

    /// <inheritdoc />
    public bool AtomicConditionalDelete => true;

    /// <inheritdoc />
    public Task<ObjectListing> ListAsync(string prefix, string? startAfter, int maxKeys, CancellationToken cancellationToken = default)
    {
        counter.Count(StoreOperation.List);
        maxKeys = Math.Clamp(maxKeys, 1, 1000);
        lock (_lock)
        {
            var matching = _objects.Values
                .Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal)
                            && (startAfter is null || string.CompareOrdinal(o.Key, startAfter) > 0))
                .Take(maxKeys + 1)
                .ToList();
            var entries = matching.Take(maxKeys).Select(o => new ObjectEntry(o.Key, o.ETag, o.Content.Length, _modified[o.Key])).ToList();
            return Task.FromResult(new ObjectListing(entries, matching.Count > maxKeys));
        }
    }

    /// <summary>Whether a write under <paramref name="condition"/> may replace an object whose ETag is <paramref name="currentETag"/>.</summary>
    internal static bool ConditionHolds(WriteCondition condition, string? currentETag) => condition.Kind switch
    {
        WriteConditionKind.IfNoneMatch => currentETag is null,
        WriteConditionKind.IfMatch => currentETag is not null && currentETag == condition.ETag,
        _ => true,
    };
}
