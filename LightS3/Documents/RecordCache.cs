using System.Collections.Concurrent;

namespace LightS3.Documents;

/// <summary>
/// A bounded in-process cache of record bytes keyed by object key and ETag. A listing reports each object's
/// ETag, so a scan reuses every unchanged record without a GET; a changed object has a new ETag and simply
/// misses. Entries are immutable bytes; the repository turns them into records.
/// </summary>
public sealed class RecordCache(int capacity)
{
    private readonly ConcurrentDictionary<string, (string ETag, ReadOnlyMemory<byte> Bytes)> _entries = new(StringComparer.Ordinal);

    /// <summary>Number of cached records.</summary>
    public int Count => _entries.Count;

    /// <summary>The cached bytes of the record, when its ETag still matches.</summary>
    public bool TryGet(string key, string etag, out ReadOnlyMemory<byte> bytes)
    {
        // an out parameter, not a nullable: null would convert to an empty ReadOnlyMemory and read as a hit
        bytes = default;
        if (capacity <= 0 || !_entries.TryGetValue(key, out var e) || e.ETag != etag) return false;
        bytes = e.Bytes;
        return true;
    }

    /// <summary>Caches the stored bytes of a record.</summary>
    public void Put(string key, string etag, ReadOnlyMemory<byte> bytes)
    {
        if (capacity <= 0) return;
        if (_entries.Count >= capacity) Trim();
        _entries[key] = (etag, bytes);
    }

    /// <summary>Forgets a key (after a delete).</summary>
    public void Remove(string key) => _entries.TryRemove(key, out _);

    private void Trim()
    {
        // Cheap approximate eviction: drop a tenth of the entries; a scan refills what it needs.
        foreach (var key in _entries.Keys.Take(Math.Max(1, capacity / 10))) _entries.TryRemove(key, out _);
    }
}
