using LightS3.Storage;

namespace LightS3.Tests.Support;

/// <summary>
/// Wraps a store and, when armed, fails writes to keys matching a predicate — and, to simulate a process
/// that died, also fails the cleanup that would normally follow.
/// </summary>
public sealed class FaultyStore(IObjectStore inner) : IObjectStore
{
    public Func<string, bool>? FailPutsTo { get; set; }
    public bool Crashed { get; set; }

    public string Kind => inner.Kind;
    public bool AtomicConditionalDelete => inner.AtomicConditionalDelete;

    public Task<StoredObject?> GetAsync(string key, CancellationToken ct = default) => inner.GetAsync(key, ct);

    public Task<string> PutAsync(string key, ReadOnlyMemory<byte> content, WriteCondition condition, CancellationToken ct = default) =>
        FailPutsTo?.Invoke(key) == true ? throw new StorageUnavailableException($"injected failure writing {key}") : inner.PutAsync(key, content, condition, ct);

    public Task<bool> DeleteAsync(string key, string? ifMatch = null, CancellationToken ct = default) =>
        Crashed ? throw new StorageUnavailableException("crashed") : inner.DeleteAsync(key, ifMatch, ct);

    public Task<bool> DeleteObservedAsync(string key, string observedETag, CancellationToken ct = default) =>
        Crashed ? throw new StorageUnavailableException("crashed") : inner.DeleteObservedAsync(key, observedETag, ct);

    public Task<ObjectListing> ListAsync(string prefix, string? startAfter, int maxKeys, CancellationToken ct = default) =>
        inner.ListAsync(prefix, startAfter, maxKeys, ct);
}
