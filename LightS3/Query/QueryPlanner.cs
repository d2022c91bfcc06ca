using LightS3.Documents;
using LightS3.Model;

namespace LightS3.Query;

/// <summary>
/// Picks the cheapest correct way to answer a query on S3. Conditions an index can serve (eq, in, ranges,
/// startswith, isnull) on an <c>Index</c> field turn a collection scan into a prefix/range LIST of index
/// entries; when the entries' order (value, then id) is the wanted order, pages stream from a cursor.
/// Everything else scans, which costs only LISTs when the record cache is warm.
/// </summary>
internal static class QueryPlanner
{
    private static readonly HashSet<FilterOperator> Servable =
        [FilterOperator.Eq, FilterOperator.In, FilterOperator.Gt, FilterOperator.Gte, FilterOperator.Lt, FilterOperator.Lte, FilterOperator.StartsWith, FilterOperator.IsNull];

    /// <summary>The plan for <paramref name="query"/> over a collection laid out by <paramref name="index"/>.</summary>
    public static QueryPlan Plan(RecordQuery query, IndexLayout index)
    {
        if (query.Conditions.Count == 0 && query.Search is null && query.IsCreationOrder) return new QueryPlan(QueryPlanKind.KeyWalk);

        var byField = query.Conditions
            .Where(c => c.Field.Index && (c.Field.MultiValued
                ? c.Operator is FilterOperator.Contains or FilterOperator.Overlaps
                : Servable.Contains(c.Operator) && !(c.Operator == FilterOperator.IsNull && c.Value?.GetValue<bool>() == false)))
            .GroupBy(c => c.Field.Name)
            .Select(g => (Field: g.First().Field, Conditions: g.ToList()))
            .OrderBy(g => g.Conditions.Any(c => c.Operator is FilterOperator.Eq or FilterOperator.IsNull or FilterOperator.Contains) ? 0
                : g.Conditions.Any(c => c.Operator is FilterOperator.In or FilterOperator.Overlaps) ? 1 : 2)
            .ToList();
        var ordering = query.EffectiveOrdering;
        var orderedByIndex = ordering.Count == 2 && !ordering[0].Descending && ordering[0].Field.Index && !ordering[0].Field.MultiValued;

        if (byField.Count > 0)
        {
            var (field, conditions) = byField.FirstOrDefault(g => orderedByIndex && g.Field.Name == ordering[0].Field.Name) is { Field: not null } same ? same : byField[0];
            var ranges = Ranges(index, field, conditions);
            var singleValue = ranges.Count == 1 && conditions.Any(c => c.Operator is FilterOperator.Eq or FilterOperator.IsNull or FilterOperator.Contains);
            var streams = ranges.Count == 1 && ((orderedByIndex && ordering[0].Field.Name == field.Name) || (query.IsCreationOrder && singleValue));
            return new QueryPlan(streams ? QueryPlanKind.IndexStream : QueryPlanKind.IndexCandidates, field, ranges, IsExact(query, field));
        }
        if (orderedByIndex)
        {
            var field = ordering[0].Field;
            return new QueryPlan(QueryPlanKind.IndexStream, field, [new KeyRange(index.FieldPrefix(field.Name), null, null)], IsExact(query, field));
        }
        return new QueryPlan(QueryPlanKind.Scan);
    }

    /// <summary>
    /// Whether the key ranges of <paramref name="field"/> select exactly the records satisfying every condition (bar
    /// stale entries), so a count may trust them without reading records: no search, every condition on the field,
    /// and a set of conditions <see cref="Ranges"/> encodes completely with exact (not truncated) encodings — one
    /// equality, one null test, one <c>in</c>, or ranges with at most one <c>startswith</c>. Anything else (a
    /// repeated equality, an equality with a range, a long text value) is verified against each record.
    /// </summary>
    private static bool IsExact(RecordQuery query, FieldModel field)
    {
        if (query.Search is not null) return false;
        var conditions = query.Conditions;
        if (conditions.Any(c => c.Field.Name != field.Name)) return false;
        if (conditions.SelectMany(c => c.Operator == FilterOperator.IsNull ? [] : c.Values).Any(v => IndexEncoding.IsLossy(field, v))) return false;
        if (conditions.Count == 0) return true;
        if (field.MultiValued)
            return conditions.Count == 1 && (conditions[0].Operator == FilterOperator.Overlaps || conditions[0].Values.Count == 1);
        if (conditions.Count == 1 && conditions[0].Operator is FilterOperator.Eq or FilterOperator.In) return true;
        if (conditions.Count == 1 && conditions[0].Operator == FilterOperator.IsNull) return conditions[0].Value?.GetValue<bool>() == true;
        return conditions.All(c => c.Operator is FilterOperator.Gt or FilterOperator.Gte or FilterOperator.Lt or FilterOperator.Lte or FilterOperator.StartsWith)
               && conditions.Count(c => c.Operator == FilterOperator.StartsWith) <= 1;
    }

    private static IReadOnlyList<KeyRange> Ranges(IndexLayout index, FieldModel field, IReadOnlyList<Condition> conditions)
    {
        var fieldPrefix = index.FieldPrefix(field.Name);
        if (field.MultiValued)
        {
            // a list holding every value of __contains holds its first: list that value's entries and verify the rest;
            // __overlaps lists each value's entries (a record in several is read once)
            if (conditions.FirstOrDefault(c => c.Operator == FilterOperator.Contains) is { } all)
                return [new KeyRange(index.ValuePrefix(field, all.Value), null, null)];
            return conditions.First().Values.Select(v => IndexEncoding.Encode(field, v)).Distinct().Order(StringComparer.Ordinal)
                .Select(e => new KeyRange($"{fieldPrefix}{e}/", null, null)).ToList();
        }
        if (conditions.FirstOrDefault(c => c.Operator == FilterOperator.IsNull) is not null)
            return [new KeyRange(fieldPrefix + IndexEncoding.Null + "/", null, null)];
        if (conditions.FirstOrDefault(c => c.Operator == FilterOperator.Eq) is { } eq)
            return [new KeyRange(index.ValuePrefix(field, eq.Value), null, null)];
        if (conditions.FirstOrDefault(c => c.Operator == FilterOperator.In) is { } @in)
            return @in.Values.Select(v => IndexEncoding.Encode(field, v)).Distinct().Order(StringComparer.Ordinal)
                .Select(e => new KeyRange($"{fieldPrefix}{e}/", null, null)).ToList();

        var prefix = fieldPrefix;
        if (conditions.FirstOrDefault(c => c.Operator == FilterOperator.StartsWith) is { } sw)
            prefix = fieldPrefix + IndexEncoding.EncodeTextPrefix(sw.Value!.GetValue<string>());
        string? startAfter = fieldPrefix + IndexEncoding.Null + "/~"; // comparisons never match null
        string? end = null;
        foreach (var c in conditions)
        {
            if (c.Operator is not (FilterOperator.Gt or FilterOperator.Gte or FilterOperator.Lt or FilterOperator.Lte)) continue;
            var encoded = IndexEncoding.Encode(field, c.Value);
            if (IndexEncoding.LossyGroup(encoded) is { } group)
            {
                // values sharing the bound's truncated prefix order by hash: take the whole group, verify each hit
                if (c.Operator is FilterOperator.Gt or FilterOperator.Gte) startAfter = KeyRange.Max(startAfter, fieldPrefix + group.From);
                else end = Min(end, fieldPrefix + group.To);
                continue;
            }
            switch (c.Operator)
            {
                case FilterOperator.Gte: startAfter = KeyRange.Max(startAfter, fieldPrefix + encoded); break;
                case FilterOperator.Gt: startAfter = KeyRange.Max(startAfter, fieldPrefix + encoded + "/~"); break;
                case FilterOperator.Lt: end = Min(end, fieldPrefix + encoded + "/"); break;
                case FilterOperator.Lte: end = Min(end, fieldPrefix + encoded + "/~"); break;
            }
        }
        return [new KeyRange(prefix, startAfter, end)];
    }

    private static string Min(string? a, string b) => a is null || string.CompareOrdinal(b, a) < 0 ? b : a;
}
