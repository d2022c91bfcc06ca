using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LightS3.Model;

/// <summary>
/// Infers fields from sample JSON objects written by another program (LightAPI's <c>reflect</c>).
/// Each top-level property becomes an optional field whose kind fits every sampled value: booleans; integers
/// (int, or long beyond 32 bits); other numbers (double); strings that all parse as ISO 8601 date-times or UUIDs;
/// otherwise strings. Nested objects become <see cref="FieldKind.Object"/> fields whose members are inferred the
/// same way (all optional); arrays become <see cref="FieldKind.List"/> fields whose item kind fits every sampled item.
/// Inside an object or list, values that disagree (or lists only ever seen empty) become <see cref="FieldKind.Json"/>;
/// top-level properties whose values disagree are not fields: they are kept untouched in the stored objects but
/// not validated or filterable.
/// </summary>
internal static class SchemaInference
{
    /// <summary>Fields inferred from <paramref name="samples"/>, in first-seen order, automatic fields excluded.</summary>
    public static IReadOnlyList<FieldModel> Infer(IEnumerable<JsonObject> samples)
    {
        var root = new Shape();
        foreach (var sample in samples) root.MergeObject(sample, topLevel: true);
        return root.Members
            .Where(m => IsFieldName(m.Key) && m.Value is { Conflict: false, Kind: not null })
            .Select(m => m.Value.ToField(m.Key))
            .ToList();
    }

    /// <summary>What the sampled values of one property have in common.</summary>
    private sealed class Shape
    {
        public FieldKind? Kind;          // null: only nulls seen so far
        public bool Conflict;            // values disagree
        public readonly List<KeyValuePair<string, Shape>> Members = [];
        public Shape? Items;             // lists: the items' shape (null: no item seen)

        public void MergeObject(JsonObject o, bool topLevel = false)
        {
            foreach (var (name, value) in o)
            {
                if (topLevel && AutoFields.All.Contains(name)) continue;
                var member = Members.FirstOrDefault(m => m.Key == name).Value;
                if (member is null) Members.Add(new(name, member = new Shape()));
                member.Merge(value);
            }
        }

        public void Merge(JsonNode? value)
        {
            if (value is null || Conflict) return;
            var kind = KindOf(value);
            if (kind is null || (Kind is { } seen && Combine(seen, kind.Value) is not { } combined))
            {
                Conflict = true;
                return;
            }
            Kind = Kind is null ? kind : Combine(Kind.Value, kind.Value);
            if (value is JsonObject o) MergeObject(o);
            if (value is JsonArray a)
                foreach (var item in a) (Items ??= new Shape()).Merge(item);
        }

        public FieldModel ToField(string name)
        {
            var field = new FieldModel { Name = name, Kind = Kind ?? FieldKind.Json, Nullable = true, Required = false };
            if (Conflict) return field with { Kind = FieldKind.Json };
            switch (Kind)
            {
                case FieldKind.Object when Members.All(m => IsFieldName(m.Key)) && Members.Count > 0:
                    return field with { Fields = Members.Select(m => m.Value.ToField(m.Key)).ToList() };
                case FieldKind.Object:
                    return field with { Kind = FieldKind.Json };
                case FieldKind.List when Items is { Kind: not null } items:
                    return field with { Element = items.ToField("items") };
                case FieldKind.List:
                    return field with { Kind = FieldKind.Json };
                default:
                    return field;
            }
        }
    }

    private static FieldKind? KindOf(JsonNode value)
    {
        if (value is JsonObject) return FieldKind.Object;
        if (value is JsonArray) return FieldKind.List;
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

    private static FieldKind? Combine(FieldKind a, FieldKind b)
    {
        if (a == b) return a;
        var numeric = new[] { FieldKind.Int, FieldKind.Long, FieldKind.Double };
        if (numeric.Contains(a) && numeric.Contains(b)) return numeric[Math.Max(Array.IndexOf(numeric, a), Array.IndexOf(numeric, b))];
        if (a is FieldKind.String or FieldKind.DateTime or FieldKind.Guid && b is FieldKind.String or FieldKind.DateTime or FieldKind.Guid) return FieldKind.String;
        return null;
    }

    private static bool IsFieldName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
