using LightS3.Storage;

namespace LightS3.Tests.Support;

/// <summary>
/// Counts the GETs of keys under one prefix (e.g. a collection's records) made through it; everything else passes
/// through. Request-count tests use it so that an app's own background reads (start-up checks, job polls) on a slow
/// machine cannot land in the number under test.
/// </summary>
public sealed class RecordReadRecorder(IObjectStore inner, string prefix) : IReverseListingObjectStore, IObjectStoreDecorator, IAsyncDisposable
{
    private long _gets;

    public IObjectStore Inner => inner;
    public string Kind => inner.Kind;
    public bool AtomicConditionalDelete => inner.AtomicConditionalDelete;
    public bool CanListBackwards => inner.BackwardLister() is not null;

    /// <summary>GETs of keys under the prefix so far.</summary>
    public long Gets => Interlocked.Read(ref _gets);

    public Task<StoredObject?> GetAsync(string key, CancellationToken ct = default)
    {
        if (key.StartsWith(prefix, StringComparison.Ordinal)) Interlocked.Increment(ref _gets);
        return inner.GetAsync(key, ct);
    }

    public Task<string> PutAsync(string key, ReadOnlyMemory<byte> content, WriteCondition condition, CancellationToken ct = default) => inner.PutAsync(key, content, condition, ct);
    public Task<bool> DeleteAsync(string key, string? ifMatch = null, CancellationToken ct = default) => inner.DeleteAsync(key, ifMatch, ct);
    public Task<bool> DeleteObservedAsync(string key, string observedETag, CancellationToken ct = default) => inner.DeleteObservedAsync(key, observedETag, ct);
    public Task<ObjectListing> ListAsync(string prefix, string? startAfter, int maxKeys, CancellationToken ct = default) => inner.ListAsync(prefix, startAfter, maxKeys, ct);
    public Task<ObjectListing> ListBeforeAsync(string prefix, string? endBefore, int maxKeys, CancellationToken ct = default) =>
        inner.BackwardLister()!.ListBeforeAsync(prefix, endBefore, maxKeys, ct);

    public async ValueTask DisposeAsync()
    {
        if (inner is IAsyncDisposable d) await d.DisposeAsync();
    }
}
