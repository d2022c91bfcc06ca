using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LightS3.Model;

/// <summary>One declared field of an endpoint: its JSON name, type and constraints.</summary>
public sealed record FieldModel
{
    /// <summary>The JSON property name (snake_case for attribute classes).</summary>
    public required string Name { get; init; }

    /// <summary>The value type.</summary>
    public required FieldKind Kind { get; init; }

    /// <summary>Whether a create or full update must supply a value.</summary>
    public bool Required { get; init; }

    /// <summary>Whether <c>null</c> is an allowed value.</summary>
    public bool Nullable { get; init; }

    /// <summary>Minimum string length.</summary>
    public int? MinLength { get; init; }

    /// <summary>Maximum string length.</summary>
    public int? MaxLength { get; init; }

    /// <summary>Inclusive lower bound.</summary>
    public decimal? Ge { get; init; }

    /// <summary>Exclusive lower bound.</summary>
    public decimal? Gt { get; init; }

    /// <summary>Inclusive upper bound.</summary>
    public decimal? Le { get; init; }

    /// <summary>Exclusive upper bound.</summary>
    public decimal? Lt { get; init; }

    /// <summary>Regular expression a string value must match.</summary>
    public Regex? Pattern { get; init; }

    /// <summary>Maximum number of decimal places of a decimal value.</summary>
    public int? DecimalPlaces { get; init; }

    /// <summary>Value used when a create or full update omits the field (already in canonical form).</summary>
    public JsonNode? Default { get; init; }

    /// <summary>Whether values must be unique across the collection (enforced with marker objects).</summary>
    public bool Unique { get; init; }

    /// <summary>Whether the field has a secondary index for filtering and ordering.</summary>
    public bool Index { get; init; }

    /// <summary>Allowed names of an <see cref="FieldKind.Enum"/> field.</summary>
    public IReadOnlyList<string> EnumValues { get; init; } = [];

    /// <summary>Limits of a <see cref="FieldKind.File"/> field (size, content types, URL lifetimes); null for other kinds.</summary>
    public FileSpec? File { get; init; }

    /// <summary>The CLR property behind the field, for typed endpoint classes; null for YAML fields.</summary>
    public PropertyInfo? Property { get; init; }

    /// <summary>The declared fields of an <see cref="FieldKind.Object"/> field, in declaration order.</summary>
    public IReadOnlyList<FieldModel> Fields { get; init; } = [];

    /// <summary>
    /// The spec of every element of a <see cref="FieldKind.List"/> field or every value of a <see cref="FieldKind.Map"/>
    /// field (its <see cref="Name"/> is unused).
    /// </summary>
    public FieldModel? Element { get; init; }

    /// <summary>Minimum number of items of a list.</summary>
    public int? MinItems { get; init; }

    /// <summary>Maximum number of items of a list.</summary>
    public int? MaxItems { get; init; }

    /// <summary>Whether a list's items must be distinct (compared in canonical form).</summary>
    public bool UniqueItems { get; init; }

    /// <summary>
    /// For a field reached through nested objects (<c>address.city</c>): the property names from the record root.
    /// Null for a top-level field, whose <see cref="Name"/> is its only segment. See <see cref="FieldPaths"/>.
    /// </summary>
    public IReadOnlyList<string>? PathSegments { get; init; }

    /// <summary>
    /// Whether this queryable view stands for the <em>elements</em> of a list of scalars (a multi-entry index, and
    /// the <c>__contains</c>/<c>__overlaps</c> operators). Its <see cref="Kind"/> is then the element kind.
    /// </summary>
    public bool MultiValued { get; init; }

    /// <summary>
    /// Whether this view reaches its values through a list of objects (<c>lines.sku</c>): one value per element, so it
    /// is <see cref="MultiValued"/> and <c>__isnull=true</c> means no element holds a value.
    /// </summary>
    internal bool ThroughList { get; init; }

    /// <summary>
    /// For a reference field (a <see cref="FieldKind.String"/> holding the id of a record of another endpoint): its
    /// target and on-delete rule; null for other fields. See docs/relations.md.
    /// </summary>
    public RefSpec? Ref { get; init; }

    /// <summary>Whether the kind is a composite (object, list, map or json) rather than a scalar.</summary>
    public bool IsComposite => Kind is FieldKind.Object or FieldKind.List or FieldKind.Map or FieldKind.Json;
}
