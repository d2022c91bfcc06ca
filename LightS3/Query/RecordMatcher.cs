using System.Text.Json.Nodes;
using LightS3.Model;
using LightS3.Validation;

namespace LightS3.Query;

/// <summary>Evaluates conditions and searches against record documents, and compares values for ordering.</summary>
internal static class RecordMatcher
{
    /// <summary>Whether <paramref name="data"/> satisfies every condition and the search of <paramref name="query"/>.</summary>
    public static bool Matches(RecordQuery query, JsonObject data) =>
        query.Conditions.All(c => Holds(c, data)) && MatchesSearch(query, data);

    private static bool MatchesSearch(RecordQuery query, JsonObject data) =>
        string.IsNullOrEmpty(query.Search)
        || query.SearchFields.Any(f => TextOf(FieldPaths.ValueOf(data, f)) is { } text && text.Contains(query.Search, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether one condition holds for the record document <paramref name="data"/> (nested paths and lists included).</summary>
    public static bool Holds(Condition c, JsonObject data)
    {
        if (c.Field.ThroughList && c.Operator == FilterOperator.IsNull)
            return FieldPaths.ElementsOf(data, c.Field).Any(item => item is not null) != (c.Value?.GetValue<bool>() ?? true);
        if (!c.Field.MultiValued || c.Operator == FilterOperator.IsNull) return Holds(c, FieldPaths.ValueOf(data, c.Field));
        var items = FieldPaths.ElementsOf(data, c.Field).Where(item => item is not null).ToList();
        bool Has(JsonNode? wanted) => items.Any(item => Compare(c.Field, item, wanted) == 0);
        return c.Operator == FilterOperator.Overlaps ? c.Values.Any(Has) : c.Values.All(Has);
    }

    /// <summary>Whether one condition holds for <paramref name="value"/>.</summary>
    public static bool Holds(Condition c, JsonNode? value)
    {
        var field = c.Field;
        switch (c.Operator)
        {
            case FilterOperator.IsNull:
                return (value is null) == (c.Value?.GetValue<bool>() ?? true);
            case FilterOperator.Eq:
                return Compare(field, value, c.Value) == 0 && value is not null;
            case FilterOperator.Ne:
                return value is null || Compare(field, value, c.Value) != 0;
            case FilterOperator.In:
                return value is not null && c.Values.Any(v => Compare(field, value, v) == 0);
            case FilterOperator.Nin:
                return value is null || c.Values.All(v => Compare(field, value, v) != 0);
        }
        if (value is null) return false;
        if (FilterOperators.IsTextual(c.Operator))
        {
            var text = TextOf(value) ?? "";
            var operand = TextOf(c.Value) ?? "";
            return c.Operator switch
            {
                FilterOperator.Contains => text.Contains(operand, StringComparison.Ordinal),
                FilterOperator.IContains => text.Contains(operand, StringComparison.OrdinalIgnoreCase),
                FilterOperator.StartsWith => text.StartsWith(operand, StringComparison.Ordinal),
                _ => text.EndsWith(operand, StringComparison.Ordinal),
            };
        }
        var cmp = Compare(field, value, c.Value);
        return c.Operator switch
        {
            FilterOperator.Gt => cmp > 0,
            FilterOperator.Gte => cmp >= 0,
            FilterOperator.Lt => cmp < 0,
            _ => cmp <= 0,
        };
    }

    /// <summary>Compares two canonical values of <paramref name="field"/>; null sorts first.</summary>
    public static int Compare(FieldModel field, JsonNode? a, JsonNode? b)
    {
        var x = FieldValues.ToComparable(field, a);
        var y = FieldValues.ToComparable(field, b);
        if (x is null || y is null) return (x is null ? 0 : 1) - (y is null ? 0 : 1);
        return x is string sx && y is string sy ? FieldValues.CompareText(sx, sy) : x.CompareTo(y);
    }

    /// <summary>Compares two records' documents under an ordering (the id is expected as the last key).</summary>
    public static int Compare(IReadOnlyList<SortKey> ordering, JsonObject a, JsonObject b)
    {
        foreach (var key in ordering)
        {
            var c = Compare(key.Field, FieldPaths.ValueOf(a, key.Field), FieldPaths.ValueOf(b, key.Field));
            if (c != 0) return key.Descending ? -c : c;
        }
        return 0;
    }

    /// <summary>Compares a record with a cursor position under an ordering.</summary>
    public static int Compare(IReadOnlyList<SortKey> ordering, JsonObject record, Cursor position)
    {
        for (var i = 0; i < ordering.Count; i++)
        {
            var key = ordering[i];
            var c = Compare(key.Field, FieldPaths.ValueOf(record, key.Field), position.Values[i]);
            if (c != 0) return key.Descending ? -c : c;
        }
        return 0;
    }

    // objects and arrays are never text to search in
    private static string? TextOf(JsonNode? node) => node is JsonValue ? FieldValues.TextOf(node) : null;
}
