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
    /// nested scalar reached through objects, the elements of a list of scalars, or a scalar (or list of scalars)
    /// member of the elements of a list of objects (<c>lines.sku</c>, one value per element). Null for anything else
    /// (an object, a map, json, a list of objects itself, or an unknown name).
    /// </summary>
    public static FieldModel? Find(IReadOnlyList<FieldModel> fields, string path)
    {
        var segments = path.Split(Separator);
        FieldModel? field = null;
        var level = fields;
        var throughList = false;
        for (var i = 0; i < segments.Length; i++)
        {
            field = level.FirstOrDefault(f => f.Name == segments[i]);
            if (field is null) return null;
            if (i < segments.Length - 1)
            {
                if (MembersOf(field) is not { } members) return null;
                level = members.Fields;
                throughList |= members.ThroughList;
            }
        }
        return field is null ? null : ViewOf(field, segments, throughList);
    }

    /// <summary>
    /// Every indexed view: indexed scalars at any depth of nested objects, indexed lists of scalars, and indexed members
    /// of the elements of lists of objects (multi-entry, like a list of scalars).
    /// </summary>
    public static IEnumerable<FieldModel> Indexed(IReadOnlyList<FieldModel> fields) => Indexed(fields, [], false);

    private static IEnumerable<FieldModel> Indexed(IReadOnlyList<FieldModel> fields, string[] prefix, bool throughList)
    {
        foreach (var field in fields)
        {
            string[] segments = [.. prefix, field.Name];
            if (MembersOf(field) is { } members)
            {
                foreach (var inner in Indexed(members.Fields, segments, throughList || members.ThroughList)) yield return inner;
            }
            else if (field.Index && ViewOf(field, segments, throughList) is { } view)
            {
                yield return view;
            }
        }
    }

    /// <summary>
    /// The fields a path continues into below <paramref name="field"/>: an object's own, or those of a list's objects
    /// (then one value per element); null for anything else.
    /// </summary>
    private static (IReadOnlyList<FieldModel> Fields, bool ThroughList)? MembersOf(FieldModel field) => field switch
    {
        { Kind: FieldKind.Object } => (field.Fields, false),
        { Kind: FieldKind.List, Element: { Kind: FieldKind.Object } element } => (element.Fields, true),
        _ => null,
    };

    private static FieldModel? ViewOf(FieldModel field, string[] segments, bool throughList)
    {
        var list = field.Kind == FieldKind.List;
        if (list ? field.Element is not { IsComposite: false } : field.IsComposite) return null;
        if (list || throughList)
        {
            // the items of a list, or a member of each of a list's objects: many values, none of them required
            var values = list ? field.Element! with { Index = field.Index } : field;
            return values with
            {
                Name = string.Join(Separator, segments), PathSegments = segments, MultiValued = true, ThroughList = throughList,
                Nullable = true, Required = false, Default = null, Unique = false, Property = null,
            };
        }
        return segments.Length > 1 ? field with { Name = string.Join(Separator, segments), PathSegments = segments, Unique = false } : field;
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
        if (!field.MultiValued) return [ValueOf(data, field)];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return ElementsOf(data, field).Where(item => seen.Add(item?.ToJsonString() ?? "null")).ToList();
    }

    /// <summary>
    /// Every element a <see cref="FieldModel.MultiValued"/> view holds in <paramref name="data"/>, duplicates included:
    /// the items of a list of scalars, or the member of each element of a list of objects (flattened when that member
    /// is itself a list). A missing or null step holds nothing; a null item of a list is kept.
    /// </summary>
    public static IEnumerable<JsonNode?> ElementsOf(JsonObject data, FieldModel field)
    {
        IEnumerable<JsonNode?> nodes = [data];
        foreach (var segment in field.PathSegments ?? [field.Name])
            nodes = nodes.SelectMany(node => node switch
            {
                JsonObject o => [o[segment]],
                JsonArray items => items.OfType<JsonObject>().Select(item => item[segment]),
                _ => Enumerable.Empty<JsonNode?>(),
            });
        return nodes.Where(node => node is not null).SelectMany(node => node is JsonArray items ? (IEnumerable<JsonNode?>)items : [node]);
    }
}
