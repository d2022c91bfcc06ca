using LightS3.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LightS3.Yaml.Config;

public sealed partial class YamlConfigReader
{
    private static readonly string[] RefKeys = ["to", "on_delete", "related_name"];
    private readonly Dictionary<string, Mark> _refMarks = new(StringComparer.Ordinal);

    /// <summary>
    /// A reference field: <c>author: { type: ref, to: /authors, on_delete: protect | set_null | cascade, related_name: books }</c>
    /// (a string holding the id of a record of <c>to</c>, always indexed). See docs/relations.md.
    /// </summary>
    private FieldModel ReadRef(YamlMappingNode map, FieldModel field, string path, YamlNode node)
    {
        var spec = new RefSpec();
        if (Child(map, "to") is not { } toNode) _problems.Add(path, "a reference needs 'to' (the route of the referenced endpoint, e.g. to: /authors)", node);
        else if (Scalar(toNode, $"{path}.to") is { } to)
        {
            spec = spec with { To = EndpointModelValidator.NormalizeRoute(to) ?? to };
            _refMarks[path] = toNode.Start;
        }
        if (Child(map, "on_delete") is { } od && Scalar(od, $"{path}.on_delete") is { } text)
        {
            if (RefSpec.TryParse(text, out var rule)) spec = spec with { OnDelete = rule };
            else _problems.Add($"{path}.on_delete", $"unknown on_delete '{text}' (use protect, set_null or cascade)", od);
        }
        if (Child(map, "related_name") is { } rn) spec = spec with { RelatedName = Scalar(rn, $"{path}.related_name") };
        return field with { Ref = spec, Index = true };
    }

    /// <summary>Reports keys only a reference field takes on a field of another type.</summary>
    private void CheckNotRef(YamlMappingNode map, string path)
    {
        foreach (var key in RefKeys)
            if (Child(map, key) is { } misplaced) _problems.Add($"{path}.{key}", "applies to reference fields only (type: ref)", misplaced);
    }

    /// <summary>Every reference must target a route of this file (the app checks again at start-up, with C# endpoints too).</summary>
    private void CheckRefTargets(IReadOnlyList<YamlEndpoint> endpoints)
    {
        var routes = endpoints.Select(e => e.Model.Route).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var e in endpoints)
            foreach (var f in e.Model.Fields)
                if (f.Ref?.To is { } to && !routes.Contains(to))
                {
                    var at = $"{e.Path}.fields.{f.Name}";
                    _problems.Add($"{at}.to", $"references '{to}', which is not a route of this file (routes: {string.Join(", ", routes.Order(StringComparer.Ordinal))})",
                        _refMarks.TryGetValue(at, out var mark) ? mark : null);
                }
    }
}
