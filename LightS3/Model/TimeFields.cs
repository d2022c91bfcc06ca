namespace LightS3.Model;

/// <summary>The automatic fields of <see cref="TimeSpec"/> features; clients never set them.</summary>
public static class TimeFields
{
    /// <summary>When a soft-deleted record was deleted (absent on live records).</summary>
    public const string DeletedAt = "deleted_at";
    /// <summary>The <c>sub</c> of the caller who created the record.</summary>
    public const string CreatedBy = "created_by";
    /// <summary>The <c>sub</c> of the caller who wrote this version.</summary>
    public const string UpdatedBy = "updated_by";
    /// <summary>When a record with a TTL expires.</summary>
    public const string ExpiresAt = "expires_at";
    /// <summary>The version whose content a restore wrote (present only on versions written by a restore).</summary>
    public const string RestoredFrom = "restored_from";

    /// <summary>The automatic fields <paramref name="spec"/> adds to records.</summary>
    public static IEnumerable<string> Of(TimeSpec spec)
    {
        if (spec.SoftDelete) yield return DeletedAt;
        if (spec.RecordsActors) { yield return CreatedBy; yield return UpdatedBy; }
        if (spec.Ttl is not null) yield return ExpiresAt;
        if (spec.History is not null || spec.SoftDelete) yield return RestoredFrom;
    }
}
