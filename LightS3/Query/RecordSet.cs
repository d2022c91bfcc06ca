using System.Globalization;
using LightS3.Documents;
using LightS3.Model;

namespace LightS3.Query;

/// <summary>
/// The fluent C# query API (S3verless's <c>Query(...).filter(...).order_by(...).limit(...).all()</c>):
/// immutable, each call returns a new set. It builds the same <see cref="RecordQuery"/> the HTTP query string
/// builds and runs on the same <see cref="QueryEngine"/>, so both behave identically — except that code is
/// not limited to the endpoint's whitelists.
/// <code>
/// var cheap = await app.Query("/books").Where("price__lt", 10).OrderBy("-price", "title").Limit(5).AllAsync();
/// </code>
/// </summary>
public sealed class RecordSet
{
    private readonly EndpointModel _model;
    private readonly QueryEngine _engine;
    private readonly RecordRepository _records;
    private readonly RecordQuery _query;
    private readonly int? _limit;

    internal RecordSet(EndpointModel model, QueryEngine engine, RecordRepository records, RecordQuery? query = null, int? limit = null)
    {
        _model = model;
        _engine = engine;
        _records = records;
        _query = query ?? RecordQuery.All;
        _limit = limit;
    }

    /// <summary>The query built so far.</summary>
    public RecordQuery Query => _query;

    /// <summary>The plan the engine will use (for diagnostics and tests).</summary>
    public QueryPlan Explain() => _engine.Explain(_query);

    /// <summary>Adds a condition written as in a query string: <c>Where("price__gte", 10)</c>, <c>Where("category", "news")</c>.</summary>
    public RecordSet Where(string filter, object? value)
    {
        var split = filter.LastIndexOf("__", StringComparison.Ordinal);
        var op = FilterOperator.Eq;
        if (split > 0 && !FilterOperators.TryParse(filter[(split + 2)..], out op)) throw new ArgumentException($"unknown operator in '{filter}'", nameof(filter));
        return Where(split > 0 ? filter[..split] : filter, op, value);
    }

    /// <summary>Adds a condition: <c>Where("price", FilterOperator.Gte, 10)</c>. For In/Nin pass a sequence.</summary>
    public RecordSet Where(string field, FilterOperator op, object? value) =>
        With(_query.Where(Condition(_model, field, op, value)));

    /// <summary>Case-insensitive search over <paramref name="fields"/> (default: the endpoint's search fields).</summary>
    public RecordSet Search(string text, params string[] fields)
    {
        var names = fields.Length > 0 ? fields : _model.Filtering.Search;
        return With(_query with { Search = text, SearchFields = names.Select(n => Resolve(_model, n)).ToList() });
    }

    /// <summary>Orders by fields; prefix <c>-</c> for descending. The id breaks ties.</summary>
    public RecordSet OrderBy(params string[] keys) =>
        With(_query with { Ordering = keys.Select(k => new SortKey(Resolve(_model, k.TrimStart('-')), k.StartsWith('-'))).ToList() });

    /// <summary>At most <paramref name="count"/> records.</summary>
    public RecordSet Limit(int count) => new(_model, _engine, _records, _query, count);

    /// <summary>All matching records (up to the limit, if any).</summary>
    public async Task<IReadOnlyList<Record>> AllAsync(CancellationToken ct = default) =>
        (await _engine.ExecuteAsync(_query, new PageRequest.All(_limit ?? int.MaxValue), ct)).Records;

    /// <summary>The first matching record, or null.</summary>
    public async Task<Record?> FirstAsync(CancellationToken ct = default) =>
        (await _engine.ExecuteAsync(_query, new PageRequest.Keyset(null, 1), ct)).Records.FirstOrDefault();

    /// <summary>The record with <paramref name="id"/> if it matches the conditions, else null.</summary>
    public async Task<Record?> GetAsync(string id, CancellationToken ct = default) =>
        RecordIds.TryNormalize(id, out var normalized) && await _records.GetAsync(normalized, ct) is { } r && RecordMatcher.Matches(_query, r.Peek()) ? r : null;

    /// <summary>How many records match.</summary>
    public async Task<long> CountAsync(CancellationToken ct = default) =>
        (await _engine.ExecuteAsync(_query, new PageRequest.Numbered(1, 1), ct)).Total ?? 0;

    /// <summary>Whether any record matches.</summary>
    public async Task<bool> ExistsAsync(CancellationToken ct = default) => await FirstAsync(ct) is not null;

    /// <summary>Page <paramref name="page"/> (from 1) of <paramref name="size"/>, with the total count.</summary>
    public Task<QueryPage> PaginateAsync(int page, int size, CancellationToken ct = default) =>
        page < 1 || size < 1 ? throw new ArgumentOutOfRangeException(nameof(page)) : _engine.ExecuteAsync(_query, new PageRequest.Numbered(page, size), ct);

    /// <summary>A keyset page after (or before) <paramref name="position"/>.</summary>
    public Task<QueryPage> PageAsync(Cursor? position, int size, CancellationToken ct = default) =>
        _engine.ExecuteAsync(_query, new PageRequest.Keyset(position, size), ct);

    private RecordSet With(RecordQuery query) => new(_model, _engine, _records, query, _limit);

    private static FieldModel Resolve(EndpointModel model, string name) =>
        model.Resolve(name) ?? throw new ArgumentException($"'{name}' is not a field of {model.Route}", nameof(name));

    /// <summary>Builds a condition on <paramref name="field"/> with <paramref name="value"/> coerced to its type.</summary>
    public static Condition Condition(EndpointModel model, string field, FilterOperator op, object? value)
    {
        var f = Resolve(model, field);
        if (op == FilterOperator.IsNull) return new Condition(f, op, [System.Text.Json.Nodes.JsonValue.Create(value is not false)]);
        var text = value switch
        {
            null => throw new ArgumentNullException(nameof(value), "use FilterOperator.IsNull to match null"),
            string s => s,
            System.Collections.IEnumerable list => string.Join(",", list.Cast<object>().Select(Text)),
            _ => Text(value),
        };
        try
        {
            return QueryStringParser.Build(f, op, text, field);
        }
        catch (InvalidQueryException e)
        {
            throw new ArgumentException(e.Message, nameof(value));
        }
    }

    private static string Text(object value) => value switch
    {
        bool b => b ? "true" : "false",
        DateTime d => d.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
