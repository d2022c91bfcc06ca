namespace LightS3.Storage;

/// <summary>
/// A store that can count the keys of a range without listing them: the embedded SQLite store (an indexed COUNT
/// over the key range, or a counter it maintains for a whole prefix) and the in-memory store (ranks in its sorted
/// key set). S3 has no such request, so there a count is a walk of the listing. A decorator that implements this
/// interface and forwards it is called (and sees the count); one that does not is looked through; one count is reported to the <see cref="RequestCounter"/> as one
/// <see cref="StoreOperation.List"/>.
/// </summary>
public interface ICountingObjectStore : IObjectStore
{
    /// <summary>
    /// Whether <see cref="CountAsync"/> works on this instance: always for a store; for a decorator that forwards it,
    /// whether the store under it counts.
    /// </summary>
    bool CanCount => true;

    /// <summary>
    /// The number of keys under <paramref name="prefix"/>, strictly after <paramref name="startAfter"/> and strictly
    /// before <paramref name="endBefore"/> (either may be null), not counting objects whose ETag is
    /// <paramref name="exceptETag"/> (e.g. the constant tombstone's). The same keys a listing of the range returns.
    /// </summary>
    Task<long> CountAsync(string prefix, string? startAfter, string? endBefore, string? exceptETag, CancellationToken cancellationToken = default);
}
