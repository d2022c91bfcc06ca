namespace LightS3.Storage;

/// <summary>
/// A store that lists a prefix backwards, from the end of a range down: the embedded SQLite store (a descending range
/// search of the key index) and the in-memory store (a walk down its sorted keys). S3 lists forwards only, so there a
/// "previous" cursor page lists the range from its start. One call counts as one <see cref="StoreOperation.List"/>.
/// </summary>
public interface IReverseListingObjectStore : IObjectStore
{
    /// <summary>
    /// Whether <see cref="ListBeforeAsync"/> works on this instance: always for a store; for a decorator that forwards
    /// it, whether the store under it lists backwards.
    /// </summary>
    bool CanListBackwards => true;

    /// <summary>
    /// Keys under <paramref name="prefix"/> strictly before <paramref name="endBefore"/> (all when null), in descending
    /// ordinal order, at most <paramref name="maxKeys"/> (1..1000), each with its ETag; truncated when lower keys remain.
    /// </summary>
    Task<ObjectListing> ListBeforeAsync(string prefix, string? endBefore, int maxKeys, CancellationToken cancellationToken = default);
}
