using System.Collections.Concurrent;
using LightS3.Storage;

namespace LightS3.Tests.Relations;

/// <summary>
/// A store that records every request with its key (so a test counts the requests of one collection, unaffected by
/// background polls of others) and can slow down writes under a prefix (so a test can stop an app mid-job).
/// </summary>
public sealed class WatchedStore(IObjectStore inner) : IObjectStore
{
    private readonly ConcurrentQueue<(StoreOperation Operation, string Key)> _log = new();
    private readonly ConcurrentQueue<(StoreOperation Operation, string Key)> _done = new();

    /// <summary>Writes (PUT) to keys starting with this prefix wait <see cref="WriteDelay"/> first.</summary>
    public string? SlowPrefix { get; set; }

    public TimeSpan WriteDelay { get; set; }

    public string Kind => inner.Kind;
    public bool AtomicConditionalDelete => inner.AtomicConditionalDelete;

    /// <summary>Forgets what was recorded.</summary>
    public void Clear()
    {
        _log.Clear();
        _done.Clear();
    }

    /// <summary>
    /// The keys under <paramref name="prefix"/> that a request of <paramref name="operation"/> changed since the last
    /// <see cref="Clear"/>: a PUT that was not refused, a DELETE that removed an object. A key is listed once per success.
    /// </summary>
    public IReadOnlyList<string> Succeeded(StoreOperation operation, string prefix) =>
        _done.Where(e => e.Operation == operation && e.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(e => e.Key).ToList();

    /// <summary>Requests of <paramref name="operation"/> on keys (or LIST prefixes) starting with <paramref name="prefix"/> since the last <see cref="Clear"/>.</summary>
    public int Count(StoreOperation operation, string prefix) => _log.Count(e => e.Operation == operation && e.Key.StartsWith(prefix, StringComparison.Ordinal));

    public string Describe() => string.Join(", ", _log.Select(e => $"{e.Operation} {e.Key}"));

    public Task<StoredObject?> GetAsync(string key, CancellationToken ct = default)
    {
        _log.Enqueue((StoreOperation.Get, key));
        return inner.GetAsync(key, ct);
    }

    public async Task<string> PutAsync(string key, ReadOnlyMemory<byte> content, WriteCondition condition, CancellationToken ct = default)
    {
        _log.Enqueue((StoreOperation.Put, key));
        if (SlowPrefix is { } slow && key.StartsWith(slow, StringComparison.Ordinal)) await Task.Delay(WriteDelay, ct);
        var etag = await inner.PutAsync(key, content, condition, ct);
        _done.Enqueue((StoreOperation.Put, key));
        return etag;
    }

    public async Task<bool> DeleteAsync(string key, string? ifMatch = null, CancellationToken ct = default)
    {
        _log.Enqueue((StoreOperation.Delete, key));
        var removed = await inner.DeleteAsync(key, ifMatch, ct);
        if (removed) _done.Enqueue((StoreOperation.Delete, key));
        return removed;
    }

    public async Task<bool> DeleteObservedAsync(string key, string observedETag, CancellationToken ct = default)
    {
        _log.Enqueue((StoreOperation.Delete, key));
        var removed = await inner.DeleteObservedAsync(key, observedETag, ct);
        if (removed) _done.Enqueue((StoreOperation.Delete, key));
        return removed;
    }

    public Task<ObjectListing> ListAsync(string prefix, string? startAfter, int maxKeys, CancellationToken ct = default)
    {
        _log.Enqueue((StoreOperation.List, prefix));
        return inner.ListAsync(prefix, startAfter, maxKeys, ct);
    }
}
