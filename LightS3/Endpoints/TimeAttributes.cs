using LightS3.Model;

namespace LightS3;

/// <summary>
/// DELETE hides records instead of removing them (docs/history.md): <c>[SoftDelete]</c>, or
/// <c>[SoftDelete(Retention = "30d")]</c> to have the expiry sweep purge them 30 days after the delete.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class SoftDeleteAttribute : Attribute
{
    /// <summary>How long soft-deleted records are kept (e.g. <c>30d</c>); unset keeps them until an admin purges them.</summary>
    public string? Retention { get; set; }
}

/// <summary>Keeps a version history of every record: <c>[History(Keep = 50, MaxAge = "30d")]</c>.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class HistoryAttribute : Attribute
{
    /// <summary>Versions kept per record, the current one included (default 50).</summary>
    public int Keep { get; set; } = HistorySpec.DefaultKeep;

    /// <summary>Older versions than this are dropped (e.g. <c>30d</c>); unset keeps them by count only.</summary>
    public string? MaxAge { get; set; }
}

/// <summary>Records carry <c>created_by</c> and <c>updated_by</c>, the <c>sub</c> of the caller who wrote them.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class TrackActorsAttribute : Attribute;

/// <summary>Records expire <paramref name="duration"/> after their last write (<c>[Ttl("7d")]</c>): an automatic <c>expires_at</c>.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class TtlAttribute(string duration) : Attribute
{
    /// <summary>The time to live, e.g. <c>7d</c>, <c>12h</c>.</summary>
    public string Duration { get; } = duration;
}

/// <summary>The record expires at this field's time (a date-time, or Unix seconds); null never expires.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ExpiresAtAttribute : Attribute;
