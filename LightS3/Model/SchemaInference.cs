using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LightS3.Model;

/// <summary>
/// Infers fields from sample JSON objects written by another program (LightAPI's <c>reflect</c>).
/// Each top-level property becomes an optional field whose kind fits every sampled value: booleans; integers
/// (int, or long beyond 32 bits); other numbers (double); strings that all parse as ISO 8601 date-times or UUIDs;
/// otherwise strings. Objects, arrays and properties whose values disagree are not fields: they are kept
/// untouched in the stored objects but not validated or filterable.
/// </summary>
public static class SchemaInference
{
    /// <summary>Fields inferred from <paramref name="samples"/>, in first-seen order, automatic fields excluded.</summary>
    public static IReadOnlyList<FieldModel> Infer(IEnumerable<JsonObject> samples)
    {
        var kinds = new Dictionary<string, FieldKind?>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var sample in samples)
            foreach (var (name, value) in sample)
            {
                if (AutoFields.All.Contains(name)) continue;
                if (!kinds.ContainsKey(name)) order.Add(name);
                if (value is null) { kinds.TryAdd(name, null); continue; }
                var kind = KindOf(value);
                if (!kinds.TryGetValue(name, out var seen) || seen is null) kinds[name] = kind ?? FieldKindUnsupported;
                else kinds[name] = Merge(seen.Value, kind);
            }
        return order
            .Where(n => kinds[n] is { } k && k != FieldKindUnsupported && IsFieldName(n))
            .Select(n => new FieldModel { Name = n, Kind = kinds[n]!.Value, Nullable = true, Required = false })
            .ToList();
    }

    // a sentinel outside the enum's defined values: "seen, but not representable"
    private const FieldKind FieldKindUnsupported = (FieldKind)(-1);

    private static FieldKind? KindOf(JsonNode value)
    {
        if (value is not JsonValue v) return null;
        switch (v.GetValueKind())
        {
            case JsonValueKind.True or JsonValueKind.False: return FieldKind.Bool;
            case JsonValueKind.Number:
                var text = v.ToJsonString();
                if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)) return FieldKind.Int;
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)) return FieldKind.Long;
                return FieldKind.Double;
            case JsonValueKind.String:
                var s = v.GetValue<string>();
                if (Guid.TryParseExact(s, "D", out _)) return FieldKind.Guid;
                if (s.Length >= 10 && char.IsAsciiDigit(s[0]) && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _)) return FieldKind.DateTime;
                return FieldKind.String;
            default: return null;
        }
    }

    private static FieldKind Merge(FieldKind a, FieldKind? b)
    {
        if (b is not { } k || a == FieldKindUnsupported) return FieldKindUnsupported;
        if (a == k) return a;
        var numeric = new[] { FieldKind.Int, FieldKind.Long, FieldKind.Double };
        if (numeric.Contains(a) && numeric.Contains(k)) return numeric[Math.Max(Array.IndexOf(numeric, a), Array.IndexOf(numeric, k))];
        if (a is FieldKind.String or FieldKind.DateTime or FieldKind.Guid && k is FieldKind.String or FieldKind.DateTime or FieldKind.Guid) return FieldKind.String;
        return FieldKindUnsupported;
    }

    private static bool IsFieldName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
