using System.Globalization;
using System.Text.Json.Nodes;
using LightS3.Migrations;
using LightS3.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LightS3.Yaml.Config;

public sealed partial class YamlConfigReader
{
    private static readonly string[] StepKinds = ["add_field", "remove_field", "rename_field", "change_type", "transform"];
    private static readonly string[] MigrationEntryKeys = ["id", "route", "description", "steps", .. StepKinds];

    private readonly List<MigrationFunctionSlot> _functionSlots = [];

    /// <summary>
    /// Reads <c>migrations:</c> (docs/migrations.md): a list of <c>{ id, route, description?, add_field | remove_field |
    /// rename_field | change_type | transform }</c>, or <c>steps:</c> with several of those in order.
    /// </summary>
    private List<StepMigration> ReadMigrations(YamlNode? node, IReadOnlyCollection<YamlEndpoint> endpoints)
    {
        var result = new List<StepMigration>();
        if (node is null) return result;
        if (node is not YamlSequenceNode list)
        {
            _problems.Add("migrations", "must be a list", node);
            return result;
        }
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"migrations[{i}]";
            if (Map(list.Children[i], path) is not { } map) continue;
            CheckKeys(map, path, MigrationEntryKeys);
            var id = Child(map, "id") is { } idNode ? Scalar(idNode, $"{path}.id") : Invalid<string?>(map, path, "an id is required (e.g. 20261126170000_rename_title)", null);
            if (id is not null && ids.TryGetValue(id, out var other)) _problems.Add($"{path}.id", $"duplicate migration id '{id}' (also {other})", Child(map, "id"));
            else if (id is not null) ids[id] = path;
            string? route = null;
            if (Child(map, "route") is not { } routeNode) _problems.Add(path, "a route is required (the endpoint whose records it changes)", map);
            else if (Scalar(routeNode, $"{path}.route") is { } r)
            {
                route = EndpointModelValidator.NormalizeRoute(r);
                if (route is null || endpoints.All(e => !string.Equals(e.Model.Route, route, StringComparison.OrdinalIgnoreCase)))
                {
                    _problems.Add($"{path}.route", $"no endpoint at '{r}' (known: {string.Join(", ", endpoints.Select(e => e.Model.Route))})", routeNode);
                    route = null;
                }
            }
            var steps = new List<MigrationStep>();
            var kinds = StepKinds.Where(k => Child(map, k) is not null).ToList();
            if (Child(map, "steps") is { } stepsNode)
            {
                if (kinds.Count > 0) _problems.Add($"{path}.{kinds[0]}", "give either one step or a 'steps' list, not both", Child(map, kinds[0]));
                if (stepsNode is not YamlSequenceNode stepList || stepList.Children.Count == 0) _problems.Add($"{path}.steps", "must be a non-empty list", stepsNode);
                else
                    for (var s = 0; s < stepList.Children.Count; s++)
                    {
                        var stepPath = $"{path}.steps[{s}]";
                        if (Map(stepList.Children[s], stepPath) is not { } stepMap) continue;
                        CheckKeys(stepMap, stepPath, StepKinds);
                        if (stepMap.Children.Count != 1) { _problems.Add(stepPath, $"must hold exactly one of {string.Join(", ", StepKinds)}", stepMap); continue; }
                        var kind = (stepMap.Children.Keys.First() as YamlScalarNode)?.Value ?? "";
                        if (StepKinds.Contains(kind) && ReadStep(kind, stepMap.Children.Values.First(), $"{stepPath}.{kind}") is { } step) steps.Add(step);
                    }
            }
            else if (kinds.Count != 1)
                _problems.Add(path, kinds.Count == 0 ? $"a step is required: one of {string.Join(", ", StepKinds)}, or 'steps'" : $"one step per migration ({string.Join(", ", kinds)} given): use 'steps' for several", map);
            else if (ReadStep(kinds[0], Child(map, kinds[0])!, $"{path}.{kinds[0]}") is { } step) steps.Add(step);
            var description = Child(map, "description") is { } dn ? Scalar(dn, $"{path}.description") : null;
            if (id is not null && route is not null && steps.Count > 0) result.Add(new StepMigration(id, route, steps, description));
        }
        return result;
    }

    private MigrationStep? ReadStep(string kind, YamlNode node, string path)
    {
        switch (kind)
        {
            case "add_field":
            {
                if (Map(node, path) is not { } map) return null;
                CheckKeys(map, path, ["name", "default"]);
                var name = Required(map, "name", path);
                if (Child(map, "default") is not { } d) { _problems.Add(path, "a default is required (the value records without the field get)", map); return null; }
                return name is null ? null : new AddFieldStep(name, JsonOf(d, $"{path}.default"));
            }
            case "remove_field":
            {
                if (node is YamlScalarNode) return Scalar(node, path) is { } n ? new RemoveFieldStep(n, null, false) : null;
                if (Map(node, path) is not { } map) return null;
                CheckKeys(map, path, ["name", "default"]);
                var name = Required(map, "name", path);
                var d = Child(map, "default");
                return name is null ? null : new RemoveFieldStep(name, d is null ? null : JsonOf(d, $"{path}.default"), d is not null);
            }
            case "rename_field":
            {
                if (Map(node, path) is not { } map) return null;
                CheckKeys(map, path, ["from", "to"]);
                var (from, to) = (Required(map, "from", path), Required(map, "to", path));
                return from is null || to is null ? null : new RenameFieldStep(from, to);
            }
            case "change_type":
            {
                if (Map(node, path) is not { } map) return null;
                CheckKeys(map, path, ["field", "to", "from", "conversion", "on_error"]);
                var field = Required(map, "field", path);
                var to = TypeOf(map, "to", path, required: true);
                var from = TypeOf(map, "from", path, required: false);
                var conversion = Child(map, "conversion") is { } c ? Expression(c, $"{path}.conversion") : null;
                var onError = Child(map, "on_error") is { } e ? Scalar(e, $"{path}.on_error") switch
                {
                    "fail" => ConversionFailure.Fail,
                    "null" => ConversionFailure.Null,
                    "keep" => ConversionFailure.Keep,
                    var other => Invalid(e, $"{path}.on_error", $"'{other}' must be fail, null or keep", ConversionFailure.Fail),
                } : ConversionFailure.Fail;
                return field is null || to is null ? null : new ChangeTypeStep(field, to, from, conversion, onError);
            }
            default: // transform
            {
                if (Map(node, path) is not { } map) return null;
                CheckKeys(map, path, ["field", "expression", "function", "down_expression", "down_function"]);
                var field = Child(map, "field") is { } f ? Scalar(f, $"{path}.field") : null;
                if (Child(map, "function") is { } fn)
                {
                    if (Child(map, "expression") is { } both) _problems.Add($"{path}.expression", "give an expression or a function, not both", both);
                    if (Scalar(fn, $"{path}.function") is not { } name) return null;
                    var up = Slot(name);
                    var down = Child(map, "down_function") is { } dfn && Scalar(dfn, $"{path}.down_function") is { } dname ? Slot(dname) : null;
                    return new TransformStep(field ?? "", name, up.Resolve, down is null ? null : down.Resolve);
                }
                if (field is null) { _problems.Add(path, "a field is required (the field the expression sets)", map); return null; }
                if (Child(map, "expression") is not { } x) { _problems.Add(path, "an expression or a function is required", map); return null; }
                var upExpression = Expression(x, $"{path}.expression");
                var downExpression = Child(map, "down_expression") is { } dx ? Expression(dx, $"{path}.down_expression") : null;
                return upExpression is null ? null : new TransformStep(field, upExpression, downExpression);
            }
        }
    }

    private MigrationFunctionSlot Slot(string name)
    {
        var slot = new MigrationFunctionSlot(name);
        _functionSlots.Add(slot);
        return slot;
    }

    private string? Required(YamlMappingNode map, string key, string path) =>
        Child(map, key) is { } node ? Scalar(node, $"{path}.{key}") : Invalid<string?>(map, path, $"'{key}' is required", null);

    private string? TypeOf(YamlMappingNode map, string key, string path, bool required)
    {
        if (Child(map, key) is not { } node) return required ? Invalid<string?>(map, path, $"'{key}' is required (string, integer, number or boolean)", null) : null;
        if (Scalar(node, $"{path}.{key}") is not { } text) return null;
        return ValueConversion.Canonical(text) ?? Invalid<string?>(node, $"{path}.{key}", $"unknown type '{text}' (known: string, integer, number, boolean)", null);
    }

    private TransformExpression? Expression(YamlNode node, string path)
    {
        if (Scalar(node, path) is not { } text) return null;
        try
        {
            return TransformExpression.Parse(text);
        }
        catch (FormatException e)
        {
            return Invalid<TransformExpression?>(node, path, e.Message, null);
        }
    }

    /// <summary>A YAML value as JSON: plain scalars by their look (number, true/false, null), quoted ones as text.</summary>
    private JsonNode? JsonOf(YamlNode node, string path) => node switch
    {
        YamlSequenceNode seq => new JsonArray(seq.Children.Select((c, i) => JsonOf(c, $"{path}[{i}]")).ToArray()),
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create((kv.Key as YamlScalarNode)?.Value ?? "", JsonOf(kv.Value, $"{path}.{(kv.Key as YamlScalarNode)?.Value}")))),
        YamlScalarNode s when s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted => JsonValue.Create(Scalar(s, path)),
        _ => Scalar(node, path) switch
        {
            null or "~" or "null" => null,
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            var t when long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
            var t when decimal.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
            var t => JsonValue.Create(t),
        },
    };
}
