namespace LightS3.Model;

/// <summary>The automatic fields as field models, so filters and ordering treat them like declared fields.</summary>
internal static class AutoFieldModels
{
    /// <summary><c>id</c>: a UUID.</summary>
    public static readonly FieldModel Id = new() { Name = AutoFields.Id, Kind = FieldKind.Guid };

    /// <summary><c>created_at</c>.</summary>
    public static readonly FieldModel CreatedAt = new() { Name = AutoFields.CreatedAt, Kind = FieldKind.DateTime };

    /// <summary><c>updated_at</c>.</summary>
    public static readonly FieldModel UpdatedAt = new() { Name = AutoFields.UpdatedAt, Kind = FieldKind.DateTime };

    /// <summary><c>version</c>.</summary>
    public static readonly FieldModel Version = new() { Name = AutoFields.Version, Kind = FieldKind.Long };

    /// <summary>An automatic field by name, or null.</summary>
    public static FieldModel? Find(string name) => name switch
    {
        AutoFields.Id => Id,
        AutoFields.CreatedAt => CreatedAt,
        AutoFields.UpdatedAt => UpdatedAt,
        AutoFields.Version => Version,
        _ => null,
    };
}
