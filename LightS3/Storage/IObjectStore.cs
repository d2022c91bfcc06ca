namespace LightS3.Storage;

/// <summary>
/// The minimal object-store contract LightS3 needs: whole-object reads, conditional writes,
/// conditional deletes and ordered prefix listings. Every store (S3, embedded file, in-memory)
/// implements exactly these semantics and passes the same conformance suite.
/// </summary>
public interface IObjectStore
{
    /// <summary>Short name of the store kind, used in logs ("s3", "file", "memory").</summary>
    string Kind { get; }

    /// <summary>Reads an object, or returns <c>null</c> when the key does not exist.</summary>
    Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes an object under <paramref name="condition"/> and returns its new ETag.
    /// Throws <see cref="PreconditionFailedException"/> when the condition does not hold.
    /// </summary>
    Task<string> PutAsync(string key, ReadOnlyMemory<byte> content, WriteCondition condition, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes an object. Returns <c>false</c> when it did not exist. With <paramref name="ifMatch"/>,
    /// throws <see cref="PreconditionFailedException"/> when the object's ETag differs (<c>*</c> matches any).
    /// </summary>
    Task<bool> DeleteAsync(string key, string? ifMatch = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes an object the caller has just read with ETag <paramref name="observedETag"/>, in one request.
    /// Atomic where the store enforces <c>If-Match</c> on delete (<see cref="AtomicConditionalDelete"/>):
    /// throws <see cref="PreconditionFailedException"/> if the object changed. Where it does not (Ceph RGW 16),
    /// a write landing between the caller's read and this delete is lost — the same window a HEAD check would
    /// leave, at one request less. Returns false when the store can tell the object was already gone.
    /// </summary>
    Task<bool> DeleteObservedAsync(string key, string observedETag, CancellationToken cancellationToken = default);

    /// <summary>Whether <see cref="DeleteObservedAsync"/> is an atomic compare-and-delete on this store.</summary>
    bool AtomicConditionalDelete { get; }

    /// <summary>
    /// Lists keys under <paramref name="prefix"/> in ordinal order, strictly after <paramref name="startAfter"/>,
    /// at most <paramref name="maxKeys"/> (1..1000) per call, each with its ETag.
    /// </summary>
    Task<ObjectListing> ListAsync(string prefix, string? startAfter, int maxKeys, CancellationToken cancellationToken = default);
}
