using Microsoft.AspNetCore.Http;

namespace LightS3.Query;

/// <summary>
/// The one reading of a query string that the parser and the response cache share, so two requests get the same
/// cache entry only when they mean the same thing: parameters sorted by name (ordinal), each parameter's values
/// in <em>request order</em>. Order within a parameter matters for the control parameters (which must appear
/// once; see <see cref="Reserved"/>), and never changes the meaning of a filter (repeated filters combine with AND).
/// </summary>
public static class QueryParameters
{
    /// <summary>Control parameters: each may appear at most once (a repeat is a 400).</summary>
    public static IReadOnlySet<string> Reserved { get; } = new HashSet<string>(["search", "ordering", "page", "page_size", "cursor", "fields", "expand"], StringComparer.OrdinalIgnoreCase);

    /// <summary>The admin's "show the soft-deleted records" flag of a list (<c>?deleted=true</c>).</summary>
    public const string Deleted = "deleted";

    /// <summary>Whether <paramref name="name"/> is a control parameter of <paramref name="model"/> rather than a filter.</summary>
    public static bool IsControl(Model.EndpointModel model, string name) => model.Time.SoftDelete && name == Deleted;

    /// <summary>Every (name, value) pair of <paramref name="query"/>: names sorted ordinally, values in request order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Normalize(IQueryCollection query) =>
        query.OrderBy(q => q.Key, StringComparer.Ordinal)
            .SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v ?? "")))
            .ToList();

    /// <summary>The normalized query as one string (URL-escaped <c>name=value</c> pairs joined by <c>&amp;</c>).</summary>
    public static string CanonicalText(IQueryCollection query) =>
        string.Join("&", Normalize(query).Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
}
