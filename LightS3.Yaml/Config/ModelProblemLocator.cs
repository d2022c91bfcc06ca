using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace LightS3.Yaml.Config;

/// <summary>
/// Places a model-level problem (from <see cref="LightS3.Model.EndpointModelValidator"/>, which knows models, not YAML) at the
/// key that causes it: <c>field 'a': ge/gt/le/lt apply to numbers only</c> goes to <c>endpoints[0].fields.a.ge</c> and its line,
/// <c>filtering fields name unknown field 'x'</c> to the list item naming <c>x</c>. Unrecognised messages stay at the endpoint.
/// </summary>
internal static partial class ModelProblemLocator
{
    /// <summary>The YAML path and node of <paramref name="message"/> inside the endpoint at <paramref name="path"/>.</summary>
    public static (string Path, YamlNode Node) Locate(YamlMappingNode endpoint, string path, string message)
    {
        var fields = Child(endpoint, "fields") as YamlMappingNode;
        var meta = Child(endpoint, "meta") as YamlMappingNode;
        if (FieldName().Match(message) is { Success: true } f && fields is not null)
        {
            var name = f.Groups[1].Value;
            var entry = fields.Children.FirstOrDefault(kv => (kv.Key as YamlScalarNode)?.Value == name);
            if (entry.Key is null) return (path, endpoint);
            var fieldPath = $"{path}.fields.{name}";
            string[] keys = message switch
            {
                _ when message.Contains("ge/gt/le/lt", StringComparison.Ordinal) => ["ge", "gt", "le", "lt"],
                _ when message.Contains("length and pattern", StringComparison.Ordinal) => ["min_length", "max_length", "pattern"],
                _ when message.Contains("min/max length", StringComparison.Ordinal) => ["min_length", "max_length"],
                _ when message.Contains("decimal_places", StringComparison.Ordinal) => ["decimal_places"],
                _ when message.Contains("has no values", StringComparison.Ordinal) => ["values", "type"],
                _ => [],
            };
            if (entry.Value is YamlMappingNode map)
                foreach (var key in keys)
                    if (Child(map, key) is { } node) return ($"{fieldPath}.{key}", KeyOf(map, key) ?? node);
            return (fieldPath, entry.Key);
        }
        if (meta is null) return (path, endpoint);
        if (ListName().Match(message) is { Success: true } l)
        {
            var (section, keys) = l.Groups[1].Value switch
            {
                "serializer" => ("serializer", new[] { "read", "write", "fields" }),
                "filtering fields" => ("filtering", ["fields"]),
                "search fields" => ("filtering", ["search"]),
                _ => ("filtering", ["ordering"]),
            };
            var name = l.Groups[2].Value;
            if (Child(meta, section) is YamlMappingNode sectionMap)
                foreach (var key in keys)
                    if (Child(sectionMap, key) is YamlSequenceNode list)
                        for (var i = 0; i < list.Children.Count; i++)
                            if (list.Children[i] is YamlScalarNode s && s.Value?.TrimStart('-') == name)
                                return ($"{path}.meta.{section}.{key}[{i}]", s);
            return (path, endpoint);
        }
        var metaKey = message switch
        {
            _ when message.StartsWith("pagination", StringComparison.Ordinal) => "pagination",
            _ when message.StartsWith("no HTTP method", StringComparison.Ordinal) => "methods",
            _ when message.StartsWith("collection", StringComparison.Ordinal) => "collection",
            _ => null,
        };
        return metaKey is not null && Child(meta, metaKey) is { } n ? ($"{path}.meta.{metaKey}", n) : (path, endpoint);
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static YamlNode? KeyOf(YamlMappingNode map, string key) => map.Children.Keys.FirstOrDefault(k => (k as YamlScalarNode)?.Value == key);

    [GeneratedRegex("^(?:enum )?field '([^']+)'")]
    private static partial Regex FieldName();

    [GeneratedRegex("^(serializer|filtering fields|search fields|ordering fields) names? unknown field '([^']+)'")]
    private static partial Regex ListName();
}
