using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LightS3.Migrations;

/// <summary>
/// The target types of <c>change_type</c> and their conversions: <c>string</c>, <c>integer</c>, <c>number</c>,
/// <c>boolean</c> (YAML's type names and aliases: <c>str</c>, <c>int</c>, <c>long</c>, <c>float</c>, <c>double</c>,
/// <c>decimal</c>, <c>bool</c>). Null stays null; a value that does not convert throws <see cref="FormatException"/>.
/// </summary>
internal static class ValueConversion
{
    /// <summary>The canonical type of a YAML name, or null when unknown.</summary>
    public static string? Canonical(string type) => type switch
    {
        "str" or "string" => "string",
        "int" or "integer" or "long" => "integer",
        "float" or "double" or "decimal" or "number" => "number",
        "bool" or "boolean" => "boolean",
        _ => null,
    };

    /// <summary>Converts <paramref name="value"/> to the canonical <paramref name="type"/>.</summary>
    public static JsonNode? Convert(JsonNode? value, string type)
    {
        if (value is null) return null;
        if (value is not JsonValue v) throw new FormatException($"{value.GetValueKind().ToString().ToLowerInvariant()} cannot become {type}");
        var kind = v.GetValueKind();
        var text = kind == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString();
        return type switch
        {
            "string" => JsonValue.Create(text),
            "integer" when long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
            "integer" when decimal.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d) => JsonValue.Create((long)d),
            "number" when kind == JsonValueKind.Number => value.DeepClone(),
            "number" when decimal.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
            "boolean" when kind is JsonValueKind.True or JsonValueKind.False => value.DeepClone(),
            "boolean" when text.Trim().ToLowerInvariant() is "true" or "1" or "yes" => JsonValue.Create(true),
            "boolean" when text.Trim().ToLowerInvariant() is "false" or "0" or "no" => JsonValue.Create(false),
            _ => throw new FormatException($"'{text}' cannot become {type}"),
        };
    }
}
