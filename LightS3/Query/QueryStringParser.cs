using System.Globalization;
using System.Text.Json.Nodes;
using LightS3.Model;
using LightS3.Validation;
using Microsoft.AspNetCore.Http;

namespace LightS3.Query;

/// <summary>
/// Reads a list request's query string into a <see cref="RecordQuery"/> and a <see cref="PageRequest"/>,
/// allowing only what the endpoint's <see cref="FilteringSpec"/> and <see cref="PaginationSpec"/> whitelist.
/// Anything else is a 400 problem naming the parameter.
/// </summary>
internal static class QueryStringParser
{
    /// <summary>
    /// Parses <paramref name="query"/> for <paramref name="model"/>. A repeated filter parameter is one more
    /// condition (<c>?price__gte=1&amp;price__gte=5</c> is both; <c>?category=a&amp;category=b</c> matches nothing);
    /// a repeated control parameter (<c>ordering</c>, <c>search</c>, <c>page</c>, <c>page_size</c>, <c>cursor</c>) is
    /// a 400, since either reading of it would be a guess.
    /// </summary>
    public static (RecordQuery Query, PageRequest Page) Parse(EndpointModel model, IQueryCollection query, int maxListResults, CursorSigner? cursors = null)
    {
        var conditions = new List<Condition>();
        string? search = null;
        IReadOnlyList<SortKey> ordering = [];
        foreach (var (name, values) in query)
            if (QueryParameters.Reserved.Contains(name) && values.Count > 1)
                throw Bad(name, $"'{name}' appears {values.Count} times; send it once{(name.Equals("ordering", StringComparison.OrdinalIgnoreCase) ? " (several keys: ordering=a,-b)" : "")}");
        foreach (var (name, value) in QueryParameters.Normalize(query))
            if (!QueryParameters.Reserved.Contains(name) && !QueryParameters.IsControl(model, name)) conditions.Add(ParseCondition(model, name, value));
        if (query.TryGetValue("search", out var s))
        {
            if (model.Filtering.Search.Count == 0) throw Bad("search", "search is not enabled on this endpoint");
            search = s.ToString();
        }
        if (query.TryGetValue("ordering", out var o)) ordering = ParseOrdering(model, o.ToString());

        var selection = new RecordQuery
        {
            Conditions = conditions,
            Search = string.IsNullOrEmpty(search) ? null : search,
            SearchFields = model.Filtering.Search.Select(n => model.Resolve(n)!).ToList(),
            Ordering = ordering,
        };
        return (selection, ParsePage(model, query, selection, maxListResults, cursors ?? CursorSigner.Default));
    }

    /// <summary>Parses one <c>field</c> or <c>field__op</c> parameter.</summary>
    public static Condition ParseCondition(EndpointModel model, string parameter, string text)
    {
        var split = parameter.LastIndexOf("__", StringComparison.Ordinal);
        var name = split > 0 ? parameter[..split] : parameter;
        var op = FilterOperator.Eq;
        if (split > 0 && !FilterOperators.TryParse(parameter[(split + 2)..], out op))
            throw Bad(parameter, $"unknown operator '{parameter[(split + 2)..]}' (use one of {FilterOperators.All})");
        if (!model.Filtering.Fields.Contains(name) || model.Resolve(name) is not { } field)
            throw Bad(parameter, model.Filtering.Fields.Count == 0
                ? $"'{name}' is not a filter: filtering is not enabled on this endpoint"
                : $"'{name}' is not a filter (allowed: {string.Join(", ", model.Filtering.Fields)})");
        return Build(field, op, text, parameter);
    }

    /// <summary>Builds a condition with the operand(s) coerced to the field's type.</summary>
    public static Condition Build(FieldModel field, FilterOperator op, string text, string parameter)
    {
        if (op == FilterOperator.IsNull)
            return bool.TryParse(text, out var isNull)
                ? new Condition(field, op, [JsonValue.Create(isNull)])
                : throw Bad(parameter, "must be true or false");
        if (field.MultiValued && !FilterOperators.AppliesToLists(op))
            throw Bad(parameter, $"'{field.Name}' is a list: filter it with __contains (holds every value), __overlaps (holds any of them) or __isnull");
        if (!field.MultiValued && op == FilterOperator.Overlaps)
            throw Bad(parameter, "operator 'overlaps' applies to lists only");
        if (FilterOperators.IsTextual(op) && field.Kind != FieldKind.String && !field.MultiValued)
            throw Bad(parameter, $"operator '{FilterOperators.Name(op)}' applies to text fields only");
        var parts = op is FilterOperator.In or FilterOperator.Nin || field.MultiValued ? text.Split(',') : [text];
        var values = new List<JsonNode?>();
        foreach (var part in parts)
        {
            if (!FieldValues.TryParse(field, part, out var canonical, out var error)) throw Bad(parameter, $"'{part}' {error}");
            values.Add(canonical);
        }
        return new Condition(field, op, values);
    }

    private static IReadOnlyList<SortKey> ParseOrdering(EndpointModel model, string text)
    {
        var keys = new List<SortKey>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var descending = part.StartsWith('-');
            var name = descending ? part[1..] : part;
            if (!model.Filtering.Ordering.Contains(name) || model.Resolve(name) is not { } field)
                throw Bad("ordering", model.Filtering.Ordering.Count == 0
                    ? "ordering is not enabled on this endpoint"
                    : $"'{name}' is not an ordering field (allowed: {string.Join(", ", model.Filtering.Ordering)})");
            if (keys.Any(k => k.Field.Name == name)) throw Bad("ordering", $"'{name}' appears twice");
            if (field.MultiValued) throw Bad("ordering", $"'{name}' is a list: order by a scalar field");
            keys.Add(new SortKey(field, descending));
        }
        return keys;
    }

    private static PageRequest ParsePage(EndpointModel model, IQueryCollection query, RecordQuery selection, int maxListResults, CursorSigner cursors)
    {
        var spec = model.Pagination;
        if (spec.Style == PaginationStyle.None)
        {
            foreach (var p in new[] { "page", "page_size", "cursor" })
                if (query.ContainsKey(p)) throw Bad(p, "pagination is not enabled on this endpoint");
            return new PageRequest.All(maxListResults);
        }
        var size = spec.PageSize;
        if (query.TryGetValue("page_size", out var ps))
            size = Math.Min(PositiveInt("page_size", ps.ToString()), spec.MaxPageSize);
        if (spec.Style == PaginationStyle.PageNumber)
        {
            if (query.ContainsKey("cursor")) throw Bad("cursor", "this endpoint uses page-number pagination (?page=N)");
            var number = query.TryGetValue("page", out var pg) ? PositiveInt("page", pg.ToString()) : 1;
            return new PageRequest.Numbered(number, size);
        }
        if (query.ContainsKey("page")) throw Bad("page", "this endpoint uses cursor pagination (?cursor=…)");
        Cursor? position = null;
        if (query.TryGetValue("cursor", out var c) && c.ToString().Length > 0)
            position = Cursor.TryDecode(c.ToString(), selection.Fingerprint(), selection.EffectiveOrdering, cursors)
                       ?? throw Bad("cursor", "invalid cursor: malformed, altered, not signed by this server, or from a different query");
        return new PageRequest.Keyset(position, size);
    }

    private static int PositiveInt(string parameter, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1
            ? n
            : throw Bad(parameter, $"must be a positive integer (got '{text}')");

    private static InvalidQueryException Bad(string parameter, string message) => new(parameter, message);
}
