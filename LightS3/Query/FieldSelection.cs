using System.Security.Cryptography;
using System.Text;
using LightS3.Model;
using Microsoft.AspNetCore.Http;

namespace LightS3.Query;

/// <summary>
/// A client's <c>?fields=id,title,author.name</c>: a tree of the properties a response keeps. Parsed against the
/// endpoint model and the read serializer, so a selection can only narrow what a plain GET shows: an unknown name, or
/// one the serializer hides, is a 400. Nested paths go through object fields (their declared fields), maps and json
/// (any key), and lists of objects (applied to every element). Applied by <see cref="JsonProjection"/>.
/// </summary>
internal sealed class FieldSelection
{
    /// <summary>The query parameter name.</summary>
    public const string Parameter = "fields";

    private readonly Dictionary<string, FieldSelection?> _members = new(StringComparer.Ordinal);

    private FieldSelection() { }

    /// <summary>Selected member names at this level; a null value keeps the whole member, else only its own selection.</summary>
    public IReadOnlyDictionary<string, FieldSelection?> Members => _members;

    /// <summary>The selection's canonical text (paths sorted), e.g. for a cache key or an ETag suffix.</summary>
    public string Canonical { get; private set; } = "";

    /// <summary>The selection of <paramref name="request"/>'s <c>fields</c> parameter, or null when it has none.</summary>
    public static FieldSelection? FromQuery(EndpointModel model, HttpRequest request)
    {
        if (!request.Query.TryGetValue(Parameter, out var values)) return null;
        if (values.Count > 1) throw Bad($"'{Parameter}' appears {values.Count} times; send it once (several fields: fields=a,b)");
        return Parse(model, values.ToString());
    }

    /// <summary>Parses a comma-separated list of (dotted) names for <paramref name="model"/>; throws a 400 problem on any unknown name.</summary>
    public static FieldSelection Parse(EndpointModel model, string text)
    {
        var paths = text.Split(',', StringSplitOptions.TrimEntries).ToList();
        if (paths.Count == 0 || paths.Any(p => p.Length == 0)) throw Bad("list field names separated by commas (e.g. fields=id,title,author.name)");
        var readable = model.Serializer.Read;
        var root = new FieldSelection();
        foreach (var path in paths)
        {
            var segments = path.Split(FieldPaths.Separator);
            if (segments.Any(s => s.Length == 0)) throw Bad($"'{path}' is not a field path");
            var top = segments[0];
            var known = readable is not null
                ? readable.Contains(top)
                : model.Field(top) is not null || AutoFieldModels.Find(top) is not null || TimeFields.Of(model.Time).Contains(top);
            if (!known) throw Bad($"'{top}' is not a field of this endpoint{(readable is null ? "" : " response")} (allowed: {string.Join(", ", Allowed(model))})");
            root.Add(path, segments, model.Field(top));
        }
        root.Canonical = string.Join(",", paths.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        return root;
    }

    /// <summary>A short hash of <see cref="Canonical"/>.</summary>
    public string Fingerprint() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical)), 0, 4);

    private void Add(string path, string[] segments, FieldModel? field)
    {
        var level = this;
        for (var i = 0; i < segments.Length; i++)
        {
            var name = segments[i];
            var last = i == segments.Length - 1;
            if (level._members.TryGetValue(name, out var existing) && existing is null) return; // already whole
            if (last)
            {
                level._members[name] = null;
                return;
            }
            // descending into `name`: it must be something with members
            if (field is null) throw Bad($"'{path}': '{name}' has no fields to select");
            var inner = MembersOf(field, path, name);
            if (inner is null && field.Kind is not (FieldKind.Map or FieldKind.Json)) throw Bad($"'{path}': '{name}' has no fields to select");
            var next = existing ?? new FieldSelection();
            level._members[name] = next;
            level = next;
            var child = segments[i + 1];
            if (inner is not null)
            {
                field = inner.FirstOrDefault(f => f.Name == child) ?? throw Bad($"'{path}': '{child}' is not a field of '{name}' (allowed: {string.Join(", ", inner.Select(f => f.Name))})");
            }
            else
            {
                // a map's values or free json: any key; below a map of objects, its value's fields
                field = field.Kind == FieldKind.Map && field.Element is { } element ? element with { Name = child } : new FieldModel { Name = child, Kind = FieldKind.Json };
            }
        }
    }

    private static IReadOnlyList<FieldModel>? MembersOf(FieldModel field, string path, string name) => field.Kind switch
    {
        FieldKind.Object => field.Fields,
        FieldKind.List when field.Element is { Kind: FieldKind.Object } element => element.Fields,
        FieldKind.List => throw Bad($"'{path}': '{name}' is a list of values, select it whole"),
        _ => null,
    };

    private static IEnumerable<string> Allowed(EndpointModel model) => model.Serializer.Read
        ?? [AutoFields.Id, .. model.Fields.Select(f => f.Name), AutoFields.CreatedAt, AutoFields.UpdatedAt, AutoFields.Version, .. TimeFields.Of(model.Time)];

    private static InvalidQueryException Bad(string message) => new(Parameter, message);
}
