using LightS3.Model;

namespace LightS3.Query;

/// <summary>How a query will be answered; chosen by <see cref="QueryPlanner"/>, reported for tests and docs.</summary>
public enum QueryPlanKind
{
    /// <summary>No condition, creation order: LIST record keys from the cursor (1 LIST + page GETs).</summary>
    KeyWalk,
    /// <summary>Index entries already in the wanted order: LIST index entries from the cursor, GET the page.</summary>
    IndexStream,
    /// <summary>Index entries select the candidates (independent of collection size), sorted in memory.</summary>
    IndexCandidates,
    /// <summary>LIST every record key and filter in memory; unchanged records come from the record cache.</summary>
    Scan,
}

/// <summary>A chosen plan: its kind, the indexed field it uses and the key ranges to list.</summary>
/// <param name="Kind">How the query is answered.</param>
/// <param name="IndexField">The indexed field whose entries are listed, if any.</param>
/// <param name="Ranges">The key ranges listed.</param>
/// <param name="Exact">
/// The ranges select exactly the matching records (bar stale entries): counts may trust them. When false every
/// candidate is verified against its record, including the one that decides whether a next page exists.
/// </param>
public sealed record QueryPlan(QueryPlanKind Kind, FieldModel? IndexField = null, IReadOnlyList<KeyRange>? Ranges = null, bool Exact = false);

/// <summary>Keys under <paramref name="Prefix"/>, strictly after <paramref name="StartAfter"/> and strictly before <paramref name="EndBefore"/>.</summary>
public sealed record KeyRange(string Prefix, string? StartAfter, string? EndBefore)
{
    /// <summary>Whether <paramref name="key"/> is past the end of the range.</summary>
    public bool IsPastEnd(string key) => EndBefore is not null && string.CompareOrdinal(key, EndBefore) >= 0;

    /// <summary>The larger of two StartAfter keys.</summary>
    public static string? Max(string? a, string? b) => a is null ? b : b is null ? a : string.CompareOrdinal(a, b) >= 0 ? a : b;
}
