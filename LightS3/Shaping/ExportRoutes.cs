using System.Buffers;
using System.Text;
using LightS3.Endpoints;
using LightS3.Http;
using LightS3.Model;
using LightS3.Query;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace LightS3.Shaping;

/// <summary>
/// <c>GET {route}/_export</c>: every record the list would return for the same filters, search and ordering — all pages,
/// streamed. NDJSON (one record per line) by default; CSV with <c>?format=csv</c> or <c>Accept: text/csv</c> (see
/// <see cref="CsvColumns"/>). The list's rules apply: the GET permission (and its object-level check: records it refuses
/// are left out), the handler's <c>QuerysetAsync</c>/<c>ListAsync</c>, the read serializer and <c>?fields=</c>. Memory
/// stays constant: records are fetched a page at a time from the query layer and written as they come.
/// </summary>
internal static class ExportRoutes
{
    /// <summary>The path segment, after the collection's route.</summary>
    public const string Segment = "/_export";

    /// <summary>Records fetched per page.</summary>
    public const int PageSize = 500;

    private static readonly string[] NotFilters = ["format", "page", "page_size", "cursor", CsvColumns.EscapeFormulasParameter];

    /// <summary>Marks the endpoint for the OpenAPI description.</summary>
    public sealed record Metadata(EndpointModel Model);

    /// <summary>Maps the route when the endpoint allows GET.</summary>
    public static void Map(RouteGroupBuilder group, EndpointRuntime runtime)
    {
        if (!runtime.Model.Methods.HasFlag(HttpVerbs.Get)) return;
        var logger = ((IEndpointRouteBuilder)group).ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("LightS3.Export");
        Func<HttpContext, Task<IResult>> handle = http => Problems.GuardAsync(http, logger, () => HandleAsync(http, runtime, logger));
        group.MapGet(Segment, (Delegate)handle)
            .WithName($"{EndpointOperations.NameOf(runtime.Model)}_export")
            .WithDisplayName($"LightS3 GET {runtime.Model.Route}{Segment}")
            .WithMetadata(new Metadata(runtime.Model))
            .Produces(StatusCodes.Status200OK, responseType: null, contentType: BulkRoutes.MediaType, additionalContentTypes: ["text/csv"])
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> HandleAsync(HttpContext http, EndpointRuntime runtime, ILogger logger)
    {
        if (await runtime.LimitAsync(http) is { } limited) return limited;
        if (await runtime.Authorizer.AuthorizeAsync(http, HttpVerbs.Get) is { } refused) return refused;
        // ?deleted= as the list reads it: true or false only, and the deleted records for admins only
        var deleted = runtime.Model.Time.SoftDelete && TimeRequests.Flag(http, TimeRequests.Deleted) == true;
        if (deleted && !await TimeRequests.IsAdminAsync(runtime, http, HttpVerbs.Get))
            throw new ApiProblemException(StatusCodes.Status403Forbidden, "only admins may export deleted records");
        var csv = IsCsv(http.Request);
        var selection = FieldSelection.FromQuery(runtime.Model, http.Request);
        var filters = new QueryCollection(http.Request.Query.Where(q => !NotFilters.Contains(q.Key, StringComparer.OrdinalIgnoreCase))
            .ToDictionary(q => q.Key, q => q.Value, StringComparer.OrdinalIgnoreCase));
        var (query, _) = QueryStringParser.Parse(runtime.Model, filters, runtime.Options.MaxListResults,
            http.RequestServices.GetService(typeof(CursorSigner)) as CursorSigner);
        var handler = runtime.CreateHandler(http, HttpVerbs.Get);
        // the first page before the status line: a store that is down is still a 503 problem, not a cut stream
        QueryPage first;
        using (deleted ? runtime.Repository.ShowOnly(Documents.RecordView.Deleted) : null)
            first = await handler.ListAsync(query, new PageRequest.Keyset(null, PageSize));
        var escape = EscapesFormulas(http.Request);
        return new ExportResult(runtime, handler, query, first, selection, csv ? CsvColumns.For(runtime.Model, selection, escape) : null, deleted, logger);
    }

    /// <summary><c>?escape_formulas=false</c> turns the CSV formula escaping off (for a consumer that is not a spreadsheet).</summary>
    private static bool EscapesFormulas(HttpRequest request)
    {
        if (!request.Query.TryGetValue(CsvColumns.EscapeFormulasParameter, out var value)) return true;
        return value.ToString().ToLowerInvariant() switch
        {
            "true" => true,
            "false" => false,
            _ => throw new ApiProblemException(StatusCodes.Status400BadRequest, $"invalid query parameter '{CsvColumns.EscapeFormulasParameter}': use true or false",
                new Dictionary<string, string[]> { [CsvColumns.EscapeFormulasParameter] = ["must be true or false"] }),
        };
    }

    private static bool IsCsv(HttpRequest request)
    {
        if (request.Query.TryGetValue("format", out var format))
            return format.ToString().ToLowerInvariant() switch
            {
                "csv" => true,
                "ndjson" => false,
                _ => throw new ApiProblemException(StatusCodes.Status400BadRequest, "invalid query parameter 'format': use ndjson or csv",
                    new Dictionary<string, string[]> { ["format"] = ["must be ndjson or csv"] }),
            };
        return MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)
               && accepted.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase));
    }

    private sealed class ExportResult(EndpointRuntime runtime, RestEndpointBase handler, RecordQuery query, QueryPage first,
        FieldSelection? selection, CsvColumns? csv, bool deleted, ILogger logger) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            using var view = deleted ? runtime.Repository.ShowOnly(Documents.RecordView.Deleted) : null;
            var ct = http.RequestAborted;
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = csv is null ? BulkRoutes.MediaType : "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{runtime.Model.Collection.Replace('/', '_')}.{(csv is null ? "ndjson" : "csv")}\"";
            var body = http.Response.BodyWriter;
            var row = new StringBuilder();
            if (csv is not null) await body.WriteAsync(Encoding.UTF8.GetBytes(csv.Header() + "\r\n"), ct);
            var page = first;
            long written = 0;
            try
            {
                while (true)
                {
                    foreach (var record in page.Records)
                    {
                        var json = handler.RenderRead(record, selection);
                        if (csv is null)
                        {
                            body.Write(json.Span);
                            body.Write("\n"u8);
                        }
                        else
                        {
                            row.Clear();
                            csv.AppendRow(row, json);
                            var bytes = Encoding.UTF8.GetByteCount(row.ToString());
                            Encoding.UTF8.GetBytes(row.ToString(), body.GetSpan(bytes));
                            body.Advance(bytes);
                        }
                        written++;
                    }
                    await body.FlushAsync(ct);
                    if (!page.HasNext || page.Records.Count == 0) break;
                    page = await handler.ListAsync(query, new PageRequest.Keyset(Cursor.Of(page.Records[^1], query.EffectiveOrdering, before: false), PageSize));
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // the status line is gone: cut the response so the client sees an incomplete transfer, never a short "complete" one
                logger.LogError(e, "export of {Route} failed after {Count} records", runtime.Model.Route, written);
                http.Abort();
            }
        }
    }
}
