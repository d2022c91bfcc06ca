namespace LightS3.Model;

/// <summary>What happens to the records that reference a record when it is deleted (see docs/relations.md).</summary>
public enum OnDelete
{
    /// <summary>The delete is refused with 409 while any record references it (the default).</summary>
    Protect,
    /// <summary>The delete goes through; the references are set to null in the background.</summary>
    SetNull,
    /// <summary>The delete goes through; the referencing records are deleted in the background.</summary>
    Cascade,
}

/// <summary>
/// The target of a reference field: the id of a record of another endpoint, named by its route (<see cref="To"/>) or,
/// from C#, by its endpoint class (<see cref="TargetType"/>, resolved to a route once every endpoint is registered).
/// </summary>
public sealed record RefSpec
{
    /// <summary>The route of the referenced endpoint (<c>/authors</c>); null until resolved when only <see cref="TargetType"/> is known.</summary>
    public string? To { get; init; }

    /// <summary>The endpoint class referenced (C# <c>[Ref(typeof(AuthorEndpoint))]</c>); null for YAML.</summary>
    public Type? TargetType { get; init; }

    /// <summary>What deleting a referenced record does.</summary>
    public OnDelete OnDelete { get; init; } = OnDelete.Protect;

    /// <summary>
    /// The name under which the referenced endpoint expands the records pointing at it (<c>?expand=books</c> on an
    /// author); null for the default, the referencing endpoint's collection name with '/' and '-' as '_'.
    /// </summary>
    public string? RelatedName { get; init; }

    /// <summary>The YAML spelling of an <see cref="Model.OnDelete"/> value.</summary>
    public static string NameOf(OnDelete value) => value switch
    {
        OnDelete.SetNull => "set_null",
        OnDelete.Cascade => "cascade",
        _ => "protect",
    };

    /// <summary>Reads <c>protect</c>, <c>set_null</c> or <c>cascade</c>.</summary>
    public static bool TryParse(string text, out OnDelete value)
    {
        value = text switch { "protect" => OnDelete.Protect, "set_null" => OnDelete.SetNull, "cascade" => OnDelete.Cascade, _ => (OnDelete)(-1) };
        return (int)value >= 0;
    }
}
