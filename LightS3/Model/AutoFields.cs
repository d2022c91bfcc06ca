namespace LightS3.Model;

/// <summary>The fields LightS3 maintains on every record; clients never set them.</summary>
public static class AutoFields
{
    /// <summary>Time-ordered UUIDv7 id.</summary>
    public const string Id = "id";
    /// <summary>Creation time, ISO 8601 UTC.</summary>
    public const string CreatedAt = "created_at";
    /// <summary>Last write time, ISO 8601 UTC.</summary>
    public const string UpdatedAt = "updated_at";
    /// <summary>1 on create, +1 on every write; the optimistic-lock token.</summary>
    public const string Version = "version";

    /// <summary>All automatic field names.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string> { Id, CreatedAt, UpdatedAt, Version };
}
