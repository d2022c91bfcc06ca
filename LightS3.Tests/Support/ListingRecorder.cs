using LightS3.Storage;

namespace LightS3.Tests.Support;

/// <summary>
/// Records the LISTs made through it, forwards and backwards (calls, keys returned), and the GETs of keys under
/// <paramref name="getPrefix"/> (e.g. a collection's records, so that an app's own background reads on a slow machine
/// cannot land in a request-count test's number); everything else passes through.
/// </summary>
public sealed class ListingRecorder(IObjectStore inner, string? getPrefix = null) : IReverseListingObjectStore, IObjectStoreDecorator, IAsyncDisposable
{
    private long _lists;
    private long _keysListed;
    private long _gets;

    public IObjectStore Inner => inner;
    public string Kind => inner.Kind;
    public bool AtomicConditionalDelete => inner.AtomicConditionalDelete;
    public bool CanListBackwards => inner.BackwardLister() is not null;

    /// <summary>LIST calls so far.</summary>
    public long Lists => Interlocked.Read(ref _lists);

    /// <summary>Keys returned by LISTs so far.</summary>
    public long KeysListed => Interlocked.Read(ref _keysListed);

    /// <summary>Forgets what was recorded.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _lists, 0);
        Interlocked.Exchange(ref _keysListed, 0);
    }

    /// <summary>GETs of keys under the prefix given at construction so far.</summary>
    public long Gets => Interlocked.Read(ref _gets);

    public Task<StoredObject?> GetAsync(string key, CancellationToken ct = default)
    {
        if (getPrefix is not null && key.StartsWith(getPrefix, StringComparison.Ordinal)) Interlocked.Increment(ref _gets);
        return inner.GetAsync(key, ct);
    }
    public Task<string> PutAsync(string key, ReadOnlyMemory<byte> content, WriteCondition condition, CancellationToken ct = default) => inner.PutAsync(key, content, condition, ct);
    public Task<bool> DeleteAsync(string key, string? ifMatch = null, CancellationToken ct = default) => inner.DeleteAsync(key, ifMatch, ct);
    public Task<bool> DeleteObservedAsync(string key, string observedETag, CancellationToken ct = default) => inner.DeleteObservedAsync(key, observedETag, ct);

    public async Task<ObjectListing> ListAsync(string prefix, string? startAfter, int maxKeys, CancellationToken ct = default)
    {
        var listing = await inner.ListAsync(prefix, startAfter, maxKeys, ct);
        Interlocked.Increment(ref _lists);
        Interlocked.Add(ref _keysListed, listing.Entries.Count);
        return listing;
    }

    public async Task<ObjectListing> ListBeforeAsync(string prefix, string? endBefore, int maxKeys, CancellationToken ct = default)
    {
        var listing = await inner.BackwardLister()!.ListBeforeAsync(prefix, endBefore, maxKeys, ct);
        Interlocked.Increment(ref _lists);
        Interlocked.Add(ref _keysListed, listing.Entries.Count);
        return listing;
    }

    public async ValueTask DisposeAsync()
    {
        if (inner is IAsyncDisposable d) await d.DisposeAsync();
    }
}
