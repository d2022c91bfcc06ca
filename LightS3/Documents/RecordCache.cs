using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace LightS3.Documents;

/// <summary>
/// A bounded in-process cache of parsed records keyed by object key and ETag. A listing reports each
/// object's ETag, so a scan can reuse every unchanged record without a GET; a changed object has a new
/// ETag and simply misses. Callers get their own copy of the document.
/// </summary>
public sealed class RecordCache(int capacity)
{
    private readonly ConcurrentDictionary<string, (string ETag, JsonObject Data)> _entries = new(StringComparer.Ordinal);

    /// <summary>Number of cached records.</summary>
    public int Count => _entries.Count;

    /// <summary>Returns a copy of the cached record when its ETag still matches.</summary>
    public Record? TryGet(string key, string etag) =>
        capacity > 0 && _entries.TryGetValue(key, out var e) && e.ETag == etag ? new Record((JsonObject)e.Data.DeepClone(), etag) : null;

    /// <summary>Caches a record as read from or written to the store.</summary>
    public void Put(string key, Record record)
    {
        if (capacity <= 0) return;
        if (_entries.Count >= capacity) Trim();
        _entries[key] = (record.ETag, (JsonObject)record.Data.DeepClone());
    }

    /// <summary>Forgets a key (after a delete).</summary>
    public void Remove(string key) => _entries.TryRemove(key, out _);

    private void Trim()
    {
        // Cheap approximate eviction: drop a tenth of the entries; a scan refills what it needs.
        foreach (var key in _entries.Keys.Take(Math.Max(1, capacity / 10))) _entries.TryRemove(key, out _);
    }
}
