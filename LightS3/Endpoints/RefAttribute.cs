using LightS3.Model;

namespace LightS3;

/// <summary>
/// Makes a <c>string?</c> property a reference to a record of another endpoint:
/// <c>[Ref(typeof(AuthorEndpoint))] public string? AuthorId { get; set; }</c>. The value must be the id of an existing
/// record of that endpoint (else 422); the field is indexed; <c>?expand=author_id</c> embeds the record; deleting the
/// referenced record follows <see cref="OnDelete"/>. See docs/relations.md.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RefAttribute : Attribute
{
    /// <summary>References the endpoint class <paramref name="target"/> (wherever it is registered).</summary>
    public RefAttribute(Type target) => Target = target;

    /// <summary>References the endpoint served at <paramref name="route"/> (<c>/authors</c>).</summary>
    public RefAttribute(string route) => Route = route;

    /// <summary>The referenced endpoint class, or null when given by route.</summary>
    public Type? Target { get; }

    /// <summary>The referenced route, or null when given by class.</summary>
    public string? Route { get; }

    /// <summary>What deleting a referenced record does (default <see cref="Model.OnDelete.Protect"/>).</summary>
    public OnDelete OnDelete { get; set; } = OnDelete.Protect;

    /// <summary>The back-reference name on the target (<c>?expand=books</c>); default: this endpoint's collection name.</summary>
    public string? RelatedName { get; set; }

    internal RefSpec Spec => new() { To = Route, TargetType = Target, OnDelete = OnDelete, RelatedName = RelatedName };
}
