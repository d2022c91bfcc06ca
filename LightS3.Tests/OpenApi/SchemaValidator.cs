using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LightS3.Tests.OpenApi;

/// <summary>
/// Validates JSON against a schema of an OpenAPI 3.1 document: the JSON Schema subset the document uses — $ref to
/// components, type (and type arrays with null), required, properties, additionalProperties, items, enum, minimum/maximum
/// and their exclusive forms, minLength/maxLength, pattern, and the uuid, date-time and uri formats.
/// </summary>
public sealed class SchemaValidator(JsonObject document)
{
    /// <summary>Every violation of <paramref name="schema"/> by <paramref name="value"/>, as "path: message".</summary>
    public List<string> Validate(JsonNode? schema, JsonNode? value, string path = "$")
    {
        var errors = new List<string>();
        Check(schema, value, path, errors);
        return errors;
    }

    /// <summary>A component schema by name.</summary>
    public JsonNode Component(string name) => document["components"]!["schemas"]![name] ?? throw new AssertionException($"no component schema {name}");

    private JsonNode? Resolve(JsonNode? schema)
    {
        for (var i = 0; i < 20 && schema is JsonObject o && o["$ref"] is JsonValue r; i++)
        {
            var pointer = r.GetValue<string>();
            if (!pointer.StartsWith("#/", StringComparison.Ordinal)) throw new AssertionException($"external $ref {pointer}");
            JsonNode? target = document;
            foreach (var part in pointer[2..].Split('/')) target = target?[part.Replace("~1", "/").Replace("~0", "~")];
            schema = target ?? throw new AssertionException($"unresolved $ref {pointer}");
        }
        return schema;
    }

    private void Check(JsonNode? rawSchema, JsonNode? value, string path, List<string> errors)
    {
        if (Resolve(rawSchema) is not JsonObject schema) return; // true / empty schema: anything
        var kind = KindOf(value);
        if (schema["type"] is { } type)
        {
            var allowed = type is JsonArray a ? a.Select(t => t!.GetValue<string>()).ToList() : [type.GetValue<string>()];
            if (!allowed.Any(t => t == kind || (t == "number" && kind == "integer")))
            {
                errors.Add($"{path}: is {kind}, schema allows {string.Join("|", allowed)}");
                return;
            }
        }
        if (schema["enum"] is JsonArray values && !values.Any(v => JsonNode.DeepEquals(v, value)))
            errors.Add($"{path}: {value?.ToJsonString() ?? "null"} is not one of {values.ToJsonString()}");
        switch (value)
        {
            case JsonObject obj:
                var properties = schema["properties"] as JsonObject;
                foreach (var name in (schema["required"] as JsonArray ?? []).Select(n => n!.GetValue<string>()))
                    if (!obj.ContainsKey(name)) errors.Add($"{path}: required property '{name}' is missing");
                foreach (var (name, child) in obj)
                {
                    if (properties?[name] is { } propertySchema) Check(propertySchema, child, $"{path}.{name}", errors);
                    else if (schema["additionalProperties"] is JsonValue extra && extra.GetValueKind() == JsonValueKind.False)
                        errors.Add($"{path}: property '{name}' is not allowed (additionalProperties: false)");
                    else if (schema["additionalProperties"] is JsonObject extraSchema) Check(extraSchema, child, $"{path}.{name}", errors);
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++) Check(schema["items"], array[i], $"{path}[{i}]", errors);
                break;
            case JsonValue scalar when kind is "integer" or "number":
                var n = decimal.Parse(scalar.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
                if (Bound(schema, "minimum") is { } min && n < min) errors.Add($"{path}: {n} < minimum {min}");
                if (Bound(schema, "maximum") is { } max && n > max) errors.Add($"{path}: {n} > maximum {max}");
                if (Bound(schema, "exclusiveMinimum") is { } emin && n <= emin) errors.Add($"{path}: {n} <= exclusiveMinimum {emin}");
                if (Bound(schema, "exclusiveMaximum") is { } emax && n >= emax) errors.Add($"{path}: {n} >= exclusiveMaximum {emax}");
                break;
            case JsonValue scalar when kind == "string":
                var s = scalar.GetValue<string>();
                var length = new StringInfo(s).LengthInTextElements;
                if (schema["minLength"] is { } minLength && length < minLength.GetValue<int>()) errors.Add($"{path}: shorter than minLength {minLength}");
                if (schema["maxLength"] is { } maxLength && length > maxLength.GetValue<int>()) errors.Add($"{path}: longer than maxLength {maxLength}");
                if (schema["pattern"] is { } pattern && !Regex.IsMatch(s, pattern.GetValue<string>())) errors.Add($"{path}: '{s}' does not match {pattern}");
                if (schema["format"] is { } format && !FormatHolds(format.GetValue<string>(), s)) errors.Add($"{path}: '{s}' is not a {format}");
                break;
        }
    }

    private static decimal? Bound(JsonObject schema, string name) =>
        schema[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<decimal>() : null;

    private static bool FormatHolds(string format, string value) => format switch
    {
        "uuid" => Guid.TryParseExact(value, "D", out _),
        "date-time" => Regex.IsMatch(value, @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
                       && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "uri" => Uri.TryCreate(value, UriKind.Absolute, out _),
        "uri-reference" => Uri.TryCreate(value, UriKind.RelativeOrAbsolute, out _),
        _ => true,
    };

    private static string KindOf(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => IsInteger(v) ? "integer" : "number",
            _ => "null",
        },
        _ => "unknown",
    };

    private static bool IsInteger(JsonValue v) =>
        decimal.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d);
}
