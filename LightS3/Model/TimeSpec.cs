namespace LightS3.Model;

/// <summary>
/// How an endpoint's records live in time: soft delete, version history, who wrote them, and expiry
/// (see docs/history.md). Attribute classes set it with <c>[SoftDelete]</c>, <c>[History]</c>, <c>[TrackActors]</c>,
/// <c>[Ttl]</c> and <c>[ExpiresAt]</c>; YAML with <c>meta: { soft_delete, history, track_actors, ttl }</c> and a
/// field's <c>expires: true</c>.
/// </summary>
public sealed record TimeSpec
{
    /// <summary>Nothing enabled.</summary>
    public static readonly TimeSpec None = new();

    /// <summary>DELETE hides the record (a <c>deleted_at</c> marker written by compare-and-swap) instead of removing it.</summary>
    public bool SoftDelete { get; init; }

    /// <summary>How long a soft-deleted record is kept before the expiry sweep purges it; null keeps it until purged by an admin.</summary>
    public TimeSpan? SoftDeleteRetention { get; init; }

    /// <summary>Version history; null when off.</summary>
    public HistorySpec? History { get; init; }

    /// <summary>Records carry <c>created_by</c> and <c>updated_by</c>: the caller's <c>sub</c>.</summary>
    public bool TrackActors { get; init; }

    /// <summary>Records expire this long after their last write (an automatic <c>expires_at</c>); null when off.</summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>A declared field (date-time, or Unix seconds as an integer) after which its record expires; null when none.</summary>
    public string? ExpiresField { get; init; }

    /// <summary>A change feed of every acknowledged write (<c>[ChangeFeed]</c>, YAML <c>meta: { changes: true }</c>; docs/realtime.md).</summary>
    public bool Changes { get; init; }

    /// <summary>Whether records can expire.</summary>
    public bool Expires => Ttl is not null || ExpiresField is not null;

    /// <summary>Whether some stored records are not visible to ordinary reads (soft-deleted or expired).</summary>
    public bool HidesRecords => SoftDelete || Expires;

    /// <summary>Whether records fall due for the expiry sweep (expiry, or a soft-delete retention).</summary>
    public bool FallsDue => Expires || (SoftDelete && SoftDeleteRetention is not null);

    /// <summary>Whether writes record <c>updated_by</c> (history names the actor of every version).</summary>
    public bool RecordsActors => TrackActors || History is not null;
}

/// <summary>Version history retention: the newest <paramref name="Keep"/> versions, none older than <paramref name="MaxAge"/> (the current version is always kept).</summary>
public sealed record HistorySpec(int Keep = HistorySpec.DefaultKeep, TimeSpan? MaxAge = null)
{
    /// <summary>Versions kept when no count is given.</summary>
    public const int DefaultKeep = 50;
}
