using System.Collections.Immutable;

namespace LightS3.Storage;

/// <summary>
/// An in-process store for unit tests and experiments; same semantics as the others, nothing persisted.
/// Objects live in a hash map and their keys in a balanced tree (an immutable AVL set): a GET is O(1), a write
/// O(log N), and a listing page a binary search for its first key plus one O(log N) step per key: O(log N + page).
/// </summary>
public sealed class InMemoryObjectStore(RequestCounter counter) : IObjectStore
{
    private readonly Dictionary<string, StoredObject> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _modified = new(StringComparer.Ordinal);
    private ImmutableSortedSet<string> _keys = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);
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
            if (existing is null) _keys = _keys.Add(key);
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
            _keys = _keys.Remove(key);
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
            var entries = new List<ObjectEntry>(Math.Min(maxKeys, _keys.Count));
            var truncated = false;
            for (var i = FirstIndex(prefix, startAfter); i < _keys.Count; i++)
            {
                var key = _keys[i];
                if (!key.StartsWith(prefix, StringComparison.Ordinal)) break; // past the prefix's contiguous range
                if (entries.Count == maxKeys)
                {
                    truncated = true;
                    break;
                }
                var o = _objects[key];
                entries.Add(new ObjectEntry(key, o.ETag, o.Content.Length, _modified[key]));
            }
            return Task.FromResult(new ObjectListing(entries, truncated));
        }
    }

    /// <summary>The index of the first key at or after <paramref name="prefix"/> and strictly after <paramref name="startAfter"/>.</summary>
    private int FirstIndex(string prefix, string? startAfter)
    {
        var afterStart = startAfter is not null && string.CompareOrdinal(startAfter, prefix) >= 0;
        var index = _keys.IndexOf(afterStart ? startAfter! : prefix);
        if (index < 0) return ~index;
        return afterStart ? index + 1 : index;
    }

    /// <summary>Whether a write under <paramref name="condition"/> may replace an object whose ETag is <paramref name="currentETag"/>.</summary>
    internal static bool ConditionHolds(WriteCondition condition, string? currentETag) => condition.Kind switch
    {
        WriteConditionKind.IfNoneMatch => currentETag is null,
        WriteConditionKind.IfMatch => currentETag is not null && currentETag == condition.ETag,
        _ => true,
    };
}
