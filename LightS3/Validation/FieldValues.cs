using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LightS3.Model;

namespace LightS3.Validation;

/// <summary>
/// Converts values to a field's canonical JSON form. Every stored value is canonical, so equality,
/// ordering and index encodings never depend on how a client spelled a value.
/// Canonical forms: strings as given; integers and doubles as JSON numbers; decimals as JSON numbers
/// (or accepted from numeric strings); booleans; datetimes as ISO 8601 UTC with a trailing Z; UUIDs
/// lowercase; enums as their declared name.
/// </summary>
internal static class FieldValues
{
    /// <summary>Format of stored datetimes: sortable as text.</summary>
    public const string DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    /// <summary>Converts a JSON value; returns false with a message when the value does not fit the field.</summary>
    public static bool TryCanonicalize(FieldModel field, JsonNode? value, out JsonNode? canonical, out string? error)
    {
        canonical = null;
        error = null;
        if (value is null)
        {
            if (field.Nullable) return true;
            error = "may not be null";
            return false;
        }
        if (value is not JsonValue scalar)
        {
            error = $"must be {Describe(field)}";
            return false;
        }
        var kind = scalar.GetValueKind();
        switch (field.Kind)
        {
            case FieldKind.String when kind == JsonValueKind.String:
                canonical = JsonValue.Create(scalar.GetValue<string>());
                return true;
            case FieldKind.Bool when kind is JsonValueKind.True or JsonValueKind.False:
                canonical = JsonValue.Create(kind == JsonValueKind.True);
                return true;
            case FieldKind.Int or FieldKind.Long or FieldKind.Double when kind == JsonValueKind.Number:
                return TryNumber(field, scalar.ToJsonString(), out canonical, out error);
            case FieldKind.Decimal when kind is JsonValueKind.Number or JsonValueKind.String:
                return TryNumber(field, kind == JsonValueKind.String ? scalar.GetValue<string>() : scalar.ToJsonString(), out canonical, out error);
            case FieldKind.DateTime or FieldKind.Guid or FieldKind.Enum when kind == JsonValueKind.String:
                return TryParse(field, scalar.GetValue<string>(), out canonical, out error);
            default:
                error = $"must be {Describe(field)}";
                return false;
        }
    }

    /// <summary>Converts text (a query-string or YAML value) to the field's canonical form.</summary>
    public static bool TryParse(FieldModel field, string text, out JsonNode? canonical, out string? error)
    {
        canonical = null;
        error = null;
        switch (field.Kind)
        {
            case FieldKind.String:
                canonical = JsonValue.Create(text);
                return true;
            case FieldKind.Bool when bool.TryParse(text, out var b):
                canonical = JsonValue.Create(b);
                return true;
            case FieldKind.Int or FieldKind.Long or FieldKind.Double or FieldKind.Decimal:
                return TryNumber(field, text, out canonical, out error);
            case FieldKind.DateTime when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var dt):
                canonical = JsonValue.Create(dt.UtcDateTime.ToString(DateTimeFormat, CultureInfo.InvariantCulture));
                return true;
            case FieldKind.Guid when Guid.TryParse(text, out var g):
                canonical = JsonValue.Create(g.ToString("D"));
                return true;
            case FieldKind.Enum when field.EnumValues.FirstOrDefault(v => string.Equals(v, text, StringComparison.OrdinalIgnoreCase)) is { } name:
                canonical = JsonValue.Create(name);
                return true;
            default:
                error = $"must be {Describe(field)}";
                return false;
        }
    }

    private static bool TryNumber(FieldModel field, string text, out JsonNode? canonical, out string? error)
    {
        canonical = null;
        error = null;
        const NumberStyles style = NumberStyles.Float;
        switch (field.Kind)
        {
            case FieldKind.Int when int.TryParse(text, style, CultureInfo.InvariantCulture, out var i):
                canonical = JsonValue.Create(i);
                return true;
            case FieldKind.Long when long.TryParse(text, style, CultureInfo.InvariantCulture, out var l):
                canonical = JsonValue.Create(l);
                return true;
            case FieldKind.Double when double.TryParse(text, style, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d):
                canonical = JsonValue.Create(d == 0 ? 0d : d); // -0 and 0 are one value (one unique marker, one index entry)
                return true;
            case FieldKind.Decimal when decimal.TryParse(text, style, CultureInfo.InvariantCulture, out var m):
                m /= 1.0000000000000000000000000000m; // strips trailing zeros: 12.50 and 12.5 are one value
                if (m == 0m) m = 0m;                  // and -0 (-0.00) is 0
                if (field.DecimalPlaces is { } places && m.Scale > places)
                {
                    error = $"must have at most {places} decimal places";
                    return false;
                }
                canonical = JsonValue.Create(m);
                return true;
            default:
                error = $"must be {Describe(field)}";
                return false;
        }
    }

    /// <summary>
    /// The canonical text of a value: a string as itself, anything else as its JSON. This is what unique markers
    /// claim and what text operators and search compare.
    /// </summary>
    public static string? TextOf(JsonNode? value) => value switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => value.ToJsonString(),
    };

    /// <summary>A canonical value as a comparable CLR value (string, decimal, double, long, bool).</summary>
    public static IComparable? ToComparable(FieldModel field, JsonNode? value)
    {
        if (value is not JsonValue v) return null;
        var kind = v.GetValueKind();
        var text = kind == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString();
        return (field.Kind, kind) switch
        {
            (FieldKind.Int or FieldKind.Long, JsonValueKind.Number) => long.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
            (FieldKind.Double, JsonValueKind.Number) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
            (FieldKind.Decimal, JsonValueKind.Number or JsonValueKind.String) => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
            (FieldKind.Bool, JsonValueKind.True or JsonValueKind.False) => kind == JsonValueKind.True,
            (_, JsonValueKind.String) => text,
            _ => null,
        };
    }

    /// <summary>
    /// Compares text by Unicode code point (the order of its UTF-8 bytes, which is how S3 sorts keys and how index
    /// entries sort), not by UTF-16 code unit: a supplementary character sorts above U+E000–U+FFFF.
    /// </summary>
    public static int CompareText(string a, string b)
    {
        var length = Math.Min(a.Length, b.Length);
        for (var i = 0; i < length; i++)
        {
            if (a[i] == b[i]) continue;
            return CodePointRank(a[i]) - CodePointRank(b[i]);
        }
        return a.Length - b.Length;
    }

    // surrogates (U+D800–U+DFFF) stand for code points above U+FFFF: rank them above U+E000–U+FFFF
    private static int CodePointRank(char c) => c >= 0xD800 ? (c <= 0xDFFF ? c + 0x2000 : c - 0x800) : c;

    /// <summary>Human description of the expected type, used in 422 messages.</summary>
    public static string Describe(FieldModel field) => field.Kind switch
    {
        FieldKind.String => "a string",
        FieldKind.Int => "an integer (32-bit)",
        FieldKind.Long => "an integer",
        FieldKind.Double => "a number",
        FieldKind.Decimal => "a decimal number",
        FieldKind.Bool => "true or false",
        FieldKind.DateTime => "an ISO 8601 date-time",
        FieldKind.Guid => "a UUID",
        FieldKind.Enum => "one of " + string.Join(", ", field.EnumValues),
        _ => field.Kind.ToString(),
    };
}
