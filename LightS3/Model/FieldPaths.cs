using System.Text.Json.Nodes;

namespace LightS3.Model;

/// <summary>
/// Queryable views of fields below the top level: a scalar inside nested objects by its dotted path
/// (<c>address.city</c>), and the elements of a list of scalars (<c>tags</c>, <see cref="FieldModel.MultiValued"/>).
/// Filters, ordering, search and indexes work on these views; <see cref="ValueOf"/> and <see cref="ValuesOf"/> read
/// them from a record document.
/// </summary>
internal static class FieldPaths
{
    /// <summary>Separates the segments of a nested path.</summary>
    public const char Separator = '.';

    /// <summary>
    /// The queryable view of <paramref name="path"/> among <paramref name="fields"/>: a top-level scalar field itself, a
    /// nested scalar reached through objects, or the elements of a list of scalars. Null for anything else (an
    /// object, a map, json, a list of objects, or an unknown name).
    /// </summary>
    public static FieldModel? Find(IReadOnlyList<FieldModel> fields, string path)
    {
        var segments = path.Split(Separator);
        FieldModel? field = null;
        var level = fields;
        for (var i = 0; i < segments.Length; i++)
        {
            field = level.FirstOrDefault(f => f.Name == segments[i]);
            if (field is null) return null;
            if (i < segments.Length - 1)
            {
                if (field.Kind != FieldKind.Object) return null;
                level = field.Fields;
            }
        }
        return field is null ? null : ViewOf(field, segments);
    }

    /// <summary>Every indexed view: indexed scalars at any depth of nested objects and indexed lists of scalars.</summary>
    public static IEnumerable<FieldModel> Indexed(IReadOnlyList<FieldModel> fields) => Indexed(fields, []);

    private static IEnumerable<FieldModel> Indexed(IReadOnlyList<FieldModel> fields, string[] prefix)
    {
        foreach (var field in fields)
        {
            string[] segments = [.. prefix, field.Name];
            if (field.Kind == FieldKind.Object)
            {
                foreach (var inner in Indexed(field.Fields, segments)) yield return inner;
            }
            else if (field.Index && ViewOf(field, segments) is { } view)
            {
                yield return view;
            }
        }
    }

    private static FieldModel? ViewOf(FieldModel field, string[] segments)
    {
        var nested = segments.Length > 1;
        if (field.Kind == FieldKind.List)
        {
            if (field.Element is not { IsComposite: false } element) return null;
            return element with
            {
                Name = string.Join(Separator, segments), PathSegments = segments, MultiValued = true, Index = field.Index,
                Nullable = true, Required = false, Default = null, Unique = false, Property = null,
            };
        }
        if (field.IsComposite) return null;
        return nested ? field with { Name = string.Join(Separator, segments), PathSegments = segments, Unique = false } : field;
    }

    /// <summary>The value of a (possibly nested) field in <paramref name="data"/>; null when any step is missing or not an object.</summary>
    public static JsonNode? ValueOf(JsonObject data, FieldModel field)
    {
        if (field.PathSegments is not { } segments) return data[field.Name];
        JsonNode? node = data;
        foreach (var segment in segments)
        {
            if (node is not JsonObject o) return null;
            node = o[segment];
        }
        return node;
    }

    /// <summary>
    /// The values a field holds in <paramref name="data"/>: the distinct (canonical) elements of a
    /// <see cref="FieldModel.MultiValued"/> view, or the one value of any other field.
    /// </summary>
    public static IReadOnlyList<JsonNode?> ValuesOf(JsonObject data, FieldModel field)
    {
        var value = ValueOf(data, field);
        if (!field.MultiValued) return [value];
        if (value is not JsonArray list) return [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return list.Where(item => seen.Add(item?.ToJsonString() ?? "null")).ToList();
    }
}
