using LightS3.Storage;

namespace LightS3.Tests.Support;

/// <summary>Records the LISTs made through it, forwards and backwards (calls, keys returned); everything else passes through.</summary>
public sealed class ListingRecorder(IObjectStore inner) : IReverseListingObjectStore, IObjectStoreDecorator, IAsyncDisposable
{
    private long _lists;
    private long _keysListed;

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

    public Task<StoredObject?> GetAsync(string key, CancellationToken ct = default) => inner.GetAsync(key, ct);
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
