using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LightS3.Model;

namespace LightS3.Validation;

/// <summary>
/// Validates and canonicalizes the value of a composite field (object, list, map, json) recursively, reporting
/// every problem under its path: <c>address.city</c>, <c>tags[2]</c>, <c>lines[0].qty</c>, <c>prices.eur</c>.
/// Scalars anywhere inside are checked like top-level fields (type, length, range, pattern); omitted members of
/// an object take their default, or null, or are reported as required — at every level.
/// </summary>
internal static class CompositeValues
{
    /// <summary>Largest value of a <see cref="FieldKind.Json"/> field, in UTF-8 bytes of its compact JSON (64 KiB).</summary>
    public const int MaxJsonBytes = 64 * 1024;

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<System.Text.RegularExpressions.Regex, WholeValuePattern> Patterns = new();

    /// <summary>
    /// The canonical form of <paramref name="value"/> for <paramref name="field"/>, or null when a problem was reported
    /// through <paramref name="error"/>. With <paramref name="patch"/> (a merge patch) an object's omitted members are
    /// left alone and a <c>null</c> member or map value is kept as null, meaning "remove" (RFC 7386).
    /// </summary>
    public static JsonNode? Canonicalize(FieldModel field, JsonNode? value, string path, Action<string, string> error,
        UnknownFieldPolicy unknown = UnknownFieldPolicy.Reject, bool patch = false)
    {
        if (value is null)
        {
            if (!field.Nullable) error(path, "may not be null");
            return null;
        }
        switch (field.Kind)
        {
            case FieldKind.Object:
                return ObjectOf(field, value, path, error, unknown, patch);
            case FieldKind.Map:
                return MapOf(field, value, path, error, unknown, patch);
            case FieldKind.List:
                return ListOf(field, value, path, error, unknown);
            case FieldKind.Json:
                var size = Encoding.UTF8.GetByteCount(value.ToJsonString());
                if (size > MaxJsonBytes) error(path, $"must be at most {MaxJsonBytes} bytes of JSON (got {size})");
                return size > MaxJsonBytes ? null : value.DeepClone();
            default:
                if (!FieldValues.TryCanonicalize(field, value, out var canonical, out var message))
                {
                    error(path, message!);
                    return null;
                }
                var before = 0;
                foreach (var problem in ScalarProblems(field, canonical))
                {
                    error(path, problem);
                    before++;
                }
                return before == 0 ? canonical : null;
        }
    }

    /// <summary>What an omitted member of an object becomes: its default, null, or a "required" problem.</summary>
    public static JsonNode? Missing(FieldModel field, string path, Action<string, string> error)
    {
        if (field.Default is not null) return field.Default.DeepClone();
        if (field.Required) error(path, "is required");
        return null;
    }

    private static JsonObject? ObjectOf(FieldModel field, JsonNode value, string path, Action<string, string> error, UnknownFieldPolicy unknown, bool patch)
    {
        if (value is not JsonObject source)
        {
            error(path, "must be an object");
            return null;
        }
        var result = new JsonObject();
        var ok = true;
        void Error(string at, string message)
        {
            ok = false;
            error(at, message);
        }
        foreach (var (name, member) in source)
        {
            var sub = field.Fields.FirstOrDefault(f => f.Name == name);
            if (sub is null)
            {
                if (unknown == UnknownFieldPolicy.Reject) Error($"{path}.{name}", "is not a field of this object");
                continue;
            }
            if (patch && member is null)
            {
                result[name] = null; // removal, resolved when the patch is merged
                continue;
            }
            result[name] = Canonicalize(sub, member, $"{path}.{name}", Error, unknown, patch && sub.Kind is FieldKind.Object or FieldKind.Map);
        }
        if (!patch)
        {
            // declared order, so equal objects have equal bytes
            var ordered = new JsonObject();
            foreach (var sub in field.Fields)
                ordered[sub.Name] = result.TryGetPropertyValue(sub.Name, out var v) ? v?.DeepClone() : Missing(sub, $"{path}.{sub.Name}", Error);
            result = ordered;
        }
        return ok ? result : null;
    }

    private static JsonObject? MapOf(FieldModel field, JsonNode value, string path, Action<string, string> error, UnknownFieldPolicy unknown, bool patch)
    {
        if (value is not JsonObject source)
        {
            error(path, "must be an object (a map of names to values)");
            return null;
        }
        var result = new JsonObject();
        var ok = true;
        void Error(string at, string message)
        {
            ok = false;
            error(at, message);
        }
        foreach (var (key, member) in source)
            result[key] = patch && member is null ? null : Canonicalize(field.Element!, member, $"{path}.{key}", Error, unknown, patch && field.Element!.Kind is FieldKind.Object or FieldKind.Map);
        return ok ? result : null;
    }

    private static JsonArray? ListOf(FieldModel field, JsonNode value, string path, Action<string, string> error, UnknownFieldPolicy unknown)
    {
        if (value is not JsonArray source)
        {
            error(path, "must be a list");
            return null;
        }
        var result = new JsonArray();
        var ok = true;
        void Error(string at, string message)
        {
            ok = false;
            error(at, message);
        }
        for (var i = 0; i < source.Count; i++) result.Add(Canonicalize(field.Element!, source[i], $"{path}[{i}]", Error, unknown));
        var itemsValid = ok; // duplicates are only meaningful among valid (canonical) items
        if (field.MinItems is { } min && source.Count < min) Error(path, $"must have at least {min} item{(min == 1 ? "" : "s")}");
        if (field.MaxItems is { } max && source.Count > max) Error(path, $"must have at most {max} item{(max == 1 ? "" : "s")}");
        if (itemsValid && field.UniqueItems)
        {
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < result.Count; i++)
            {
                var text = result[i]?.ToJsonString() ?? "null";
                if (seen.TryGetValue(text, out var first)) Error($"{path}[{i}]", $"duplicates item {first}: items must be unique");
                else seen[text] = i;
            }
        }
        return ok ? result : null;
    }

    /// <summary>
    /// The problems of a canonical scalar against its field's constraints (the same messages <see cref="RecordValidator"/>
    /// gives top-level fields).
    /// </summary>
    public static IEnumerable<string> ScalarProblems(FieldModel field, JsonNode? value)
    {
        if (value is not JsonValue v) yield break;
        if (field.Kind == FieldKind.String && v.TryGetValue<string>(out var s))
        {
            if (field.MinLength is { } min && s.Length < min) yield return $"must be at least {min} characters long";
            if (field.MaxLength is { } max && s.Length > max) yield return $"must be at most {max} characters long";
            if (field.Pattern is { } declared && !Patterns.GetValue(declared, d => new WholeValuePattern(d)).Matches(s)) yield return $"must match the pattern {declared}";
        }
        else if (field.Kind is FieldKind.Int or FieldKind.Long or FieldKind.Double or FieldKind.Decimal)
        {
            var text = v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString();
            decimal n;
            if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out n))
                n = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x > 0 ? decimal.MaxValue : decimal.MinValue;
            if (field.Ge is { } ge && n < ge) yield return $"must be greater than or equal to {Text(ge)}";
            if (field.Gt is { } gt && n <= gt) yield return $"must be greater than {Text(gt)}";
            if (field.Le is { } le && n > le) yield return $"must be less than or equal to {Text(le)}";
            if (field.Lt is { } lt && n >= lt) yield return $"must be less than {Text(lt)}";
        }
    }

    /// <summary>
    /// Completes a composite field after it was read (by either front door): an omitted list or map is stored empty
    /// unless nullable; an omitted non-nullable object is built from its members' defaults when none of them is
    /// required, and is required otherwise.
    /// </summary>
    public static FieldModel WithImpliedDefault(FieldModel field)
    {
        if (field.Default is not null || field.Nullable) return field with { Required = false };
        switch (field.Kind)
        {
            case FieldKind.List:
                return field with { Default = new JsonArray(), Required = false };
            case FieldKind.Map:
                return field with { Default = new JsonObject(), Required = false };
            case FieldKind.Object when field.Fields.All(f => !f.Required):
                var problems = new List<string>();
                var built = Canonicalize(field, new JsonObject(), field.Name, (at, m) => problems.Add($"{at}: {m}"));
                return problems.Count == 0 ? field with { Default = built, Required = false } : field with { Required = true };
            default:
                return field with { Required = true };
        }
    }

    private static string Text(decimal d) => d.ToString(CultureInfo.InvariantCulture);
}
