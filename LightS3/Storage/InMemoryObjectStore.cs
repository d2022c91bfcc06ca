using System.Collections.Immutable;

namespace LightS3.Storage;

/// <summary>
/// An in-process store for unit tests and experiments; same semantics as the others, nothing persisted.
/// Objects live in a hash map and their keys in a balanced tree (an immutable AVL set): a GET is O(1), a write
/// O(log N), and a listing page a binary search for its first key plus one O(log N) step per key: O(log N + page).
/// A count is the difference of two ranks in the tree: O(log N), plus the same for the keys of an excluded ETag,
/// which the store keeps in a tree of their own once a count has excluded that ETag (the tombstone's).
/// </summary>
public sealed class InMemoryObjectStore(RequestCounter counter) : ICountingObjectStore, IReverseListingObjectStore
{
    private readonly Dictionary<string, StoredObject> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _modified = new(StringComparer.Ordinal);
    private ImmutableSortedSet<string> _keys = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);
    private readonly Dictionary<string, ImmutableSortedSet<string>> _keysByExcludedETag = new(StringComparer.Ordinal);
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
            else TrackExcluded(key, existing.ETag, add: false);
            TrackExcluded(key, etag, add: true);
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
            TrackExcluded(key, existing.ETag, add: false);
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
            for (var i = FirstIndex(_keys, prefix, startAfter); i < _keys.Count; i++)
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

    /// <inheritdoc />
    public Task<ObjectListing> ListBeforeAsync(string prefix, string? endBefore, int maxKeys, CancellationToken cancellationToken = default)
    {
        counter.Count(StoreOperation.List);
        maxKeys = Math.Clamp(maxKeys, 1, 1000);
        lock (_lock)
        {
            var start = Rank(_keys, prefix);
            var end = EndOfPrefix(_keys, prefix);
            if (endBefore is not null) end = Math.Min(end, Rank(_keys, endBefore));
            var entries = new List<ObjectEntry>(Math.Max(0, Math.Min(maxKeys, end - start)));
            var i = end - 1;
            for (; i >= start && entries.Count < maxKeys; i--)
            {
                var key = _keys[i];
                var o = _objects[key];
                entries.Add(new ObjectEntry(key, o.ETag, o.Content.Length, _modified[key]));
            }
            return Task.FromResult(new ObjectListing(entries, i >= start));
        }
    }

    /// <inheritdoc />
    public Task<long> CountAsync(string prefix, string? startAfter, string? endBefore, string? exceptETag, CancellationToken cancellationToken = default)
    {
        counter.Count(StoreOperation.List);
        lock (_lock)
        {
            var count = CountIn(_keys, prefix, startAfter, endBefore);
            if (exceptETag is null) return Task.FromResult(count);
            if (!_keysByExcludedETag.TryGetValue(exceptETag, out var excluded))
            {
                // first count excluding this ETag: index its keys once; writes keep the set current from now on
                excluded = _objects.Values.Where(o => o.ETag == exceptETag).Select(o => o.Key).ToImmutableSortedSet(StringComparer.Ordinal);
                _keysByExcludedETag[exceptETag] = excluded;
            }
            return Task.FromResult(count - CountIn(excluded, prefix, startAfter, endBefore));
        }
    }

    /// <summary>The keys of <paramref name="keys"/> in the range, by rank: O(log N).</summary>
    private static long CountIn(ImmutableSortedSet<string> keys, string prefix, string? startAfter, string? endBefore)
    {
        var from = FirstIndex(keys, prefix, startAfter);
        var to = EndOfPrefix(keys, prefix);
        if (endBefore is not null) to = Math.Min(to, Rank(keys, endBefore));
        return Math.Max(0, to - from);
    }

    /// <summary>The index just past the keys with <paramref name="prefix"/> (contiguous in ordinal order): a binary search.</summary>
    private static int EndOfPrefix(ImmutableSortedSet<string> keys, string prefix)
    {
        int low = Rank(keys, prefix), high = keys.Count;
        while (low < high)
        {
            var middle = low + (high - low) / 2;
            if (keys[middle].StartsWith(prefix, StringComparison.Ordinal)) low = middle + 1;
            else high = middle;
        }
        return low;
    }

    /// <summary>The number of keys ordinally below <paramref name="key"/>.</summary>
    private static int Rank(ImmutableSortedSet<string> keys, string key)
    {
        var index = keys.IndexOf(key);
        return index < 0 ? ~index : index;
    }

    private void TrackExcluded(string key, string etag, bool add)
    {
        if (!_keysByExcludedETag.TryGetValue(etag, out var set)) return;
        _keysByExcludedETag[etag] = add ? set.Add(key) : set.Remove(key);
    }

    /// <summary>The index of the first key at or after <paramref name="prefix"/> and strictly after <paramref name="startAfter"/>.</summary>
    private static int FirstIndex(ImmutableSortedSet<string> keys, string prefix, string? startAfter)
    {
        var afterStart = startAfter is not null && string.CompareOrdinal(startAfter, prefix) >= 0;
        var index = keys.IndexOf(afterStart ? startAfter! : prefix);
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
