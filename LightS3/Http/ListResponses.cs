using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Model;
using LightS3.Query;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;

namespace LightS3.Http;

/// <summary>
/// The list response shapes, as LightAPI defines them: <c>{"results"}</c> without pagination;
/// <c>{"count", "pages", "next", "previous", "results"}</c> with absolute, URL-encoded page links;
/// <c>{"next", "previous", "results"}</c> with opaque cursors.
/// </summary>
internal static class ListResponses
{
    /// <summary>Renders <paramref name="page"/> for the request <paramref name="http"/>.</summary>
    public static IResult Render(HttpContext http, RecordQuery query, PageRequest request, QueryPage page, Func<Record, ReadOnlyMemory<byte>> render)
    {
        var items = page.Records.Select(render).ToList();
        switch (request)
        {
            case PageRequest.Numbered n:
            {
                var count = page.Total ?? 0;
                var pages = (int)((count + n.Size - 1) / n.Size);
                var meta = new JsonObject
                {
                    ["count"] = count,
                    ["pages"] = pages,
                    ["next"] = n.Number < pages ? PageLink(http, n.Number + 1) : null,
                    ["previous"] = n.Number > 1 && pages > 0 ? PageLink(http, Math.Min(n.Number - 1, pages)) : null,
                };
                return JsonResults.Results(meta, items);
            }
            case PageRequest.Keyset:
            {
                var ordering = query.EffectiveOrdering;
                var fingerprint = query.Fingerprint();
                var signer = http.RequestServices?.GetService(typeof(CursorSigner)) as CursorSigner ?? CursorSigner.Default;
                var meta = new JsonObject
                {
                    ["next"] = page.HasNext && page.Records.Count > 0 ? Cursor.Of(page.Records[^1], ordering, before: false).Encode(fingerprint, signer) : null,
                    ["previous"] = page.HasPrevious && page.Records.Count > 0 ? Cursor.Of(page.Records[0], ordering, before: true).Encode(fingerprint, signer) : null,
                };
                return JsonResults.Results(meta, items);
            }
            default:
                return JsonResults.Results(items);
        }
    }

    private static string PageLink(HttpContext http, int number)
    {
        var request = http.Request;
        var query = new QueryBuilder(request.Query.Where(q => q.Key != "page").SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? ""))))
        {
            { "page", number.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
        return UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, request.Path, query.ToQueryString());
    }
}
