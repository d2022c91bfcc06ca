namespace LightS3.Documents;

/// <summary>What an acknowledged write did.</summary>
public enum RecordOperation
{
    /// <summary>A new record.</summary>
    Create,
    /// <summary>A PUT or PATCH.</summary>
    Update,
    /// <summary>A delete: a soft delete (the record keeps its body) or, without soft delete, a tombstone.</summary>
    Delete,
    /// <summary>A restore of a soft-deleted record or of an earlier version.</summary>
    Restore,
    /// <summary>A soft-deleted or expired record removed for good.</summary>
    Purge,
}

/// <summary>
/// One acknowledged write, as <see cref="RecordRepository.Committed"/> reports it: the one place every committed
/// write of a collection passes (create, update, soft delete, restore, delete, purge, expiry) — where a change feed
/// or realtime publisher hooks in.
/// </summary>
/// <param name="Collection">The collection.</param>
/// <param name="Operation">What happened.</param>
/// <param name="Id">The record id.</param>
/// <param name="Version">The version written (for a tombstone delete or purge: the last version, now gone).</param>
/// <param name="At">When.</param>
/// <param name="Actor">The caller's <c>sub</c>, or null.</param>
/// <param name="Record">The record as written; null after a tombstone delete or purge.</param>
public sealed record RecordChange(string Collection, RecordOperation Operation, string Id, long Version, DateTimeOffset At, string? Actor, Record? Record);

/// <summary>What a write intends, beyond its fields.</summary>
/// <param name="Operation">The operation recorded for the new version.</param>
/// <param name="RestoredFrom">For a restore: the version whose content is written again.</param>
internal readonly record struct WriteIntent(RecordOperation Operation, long? RestoredFrom = null)
{
    public static readonly WriteIntent Update = new(RecordOperation.Update);
}
