using LightS3.Storage;

namespace LightS3.Tests.Files;

/// <summary>Delays record writes while armed, so two requests surely read the same version before either writes (a deterministic race).</summary>
public sealed class SlowRecordWrites(IObjectStore inner) : IObjectStore, IObjectStoreDecorator
{
    public TimeSpan Delay { get; set; }

    public IObjectStore Inner => inner;
    public string Kind => inner.Kind;
    public bool AtomicConditionalDelete => inner.AtomicConditionalDelete;

    public Task<StoredObject?> GetAsync(string key, CancellationToken ct = default) => inner.GetAsync(key, ct);

    public async Task<string> PutAsync(string key, ReadOnlyMemory<byte> content, WriteCondition condition, CancellationToken ct = default)
    {
        if (Delay > TimeSpan.Zero && key.Contains("/records/", StringComparison.Ordinal)) await Task.Delay(Delay, ct);
        return await inner.PutAsync(key, content, condition, ct);
    }

    public Task<bool> DeleteAsync(string key, string? ifMatch = null, CancellationToken ct = default) => inner.DeleteAsync(key, ifMatch, ct);

    public Task<bool> DeleteObservedAsync(string key, string observedETag, CancellationToken ct = default) => inner.DeleteObservedAsync(key, observedETag, ct);

    public Task<ObjectListing> ListAsync(string prefix, string? startAfter, int maxKeys, CancellationToken ct = default) => inner.ListAsync(prefix, startAfter, maxKeys, ct);
}
