using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Model;
using LightS3.Query;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace LightS3.Endpoints;

/// <summary>
/// The one rule for what a caller sees of a collection (docs/auth.md, "Who sees what"): a record is visible when it
/// matches the handler's queryset and the <c>GET</c> permission's object-level check admits it (the endpoint-level read
/// permission is checked before, when the surface opens). Retrieve, lists and counts, export, expand, the change feed and
/// its events, history and reference checks all ask this class, so no surface can show what another hides.
/// </summary>
internal sealed class RecordVisibility
{
    private readonly EndpointRuntime _runtime;
    private readonly HttpContext _http;

    private RecordVisibility(EndpointRuntime runtime, HttpContext http, RecordQuery scope)
    {
        _runtime = runtime;
        _http = http;
        Scope = scope;
    }

    /// <summary>The handler's queryset (over the filters it was opened with): a record outside it is not there for the caller.</summary>
    public RecordQuery Scope { get; }

    /// <summary>The visibility of <paramref name="runtime"/>'s records to <paramref name="http"/>'s caller, scoped by the queryset over <paramref name="filters"/>.</summary>
    public static async Task<RecordVisibility> OpenAsync(EndpointRuntime runtime, HttpContext http, RecordQuery? filters = null) =>
        await OpenAsync(runtime.CreateHandler(http, HttpVerbs.Get), filters);

    /// <summary>The visibility judged by <paramref name="handler"/>'s own queryset.</summary>
    public static async Task<RecordVisibility> OpenAsync(RestEndpointBase handler, RecordQuery? filters = null) =>
        new(handler.Context.Runtime, handler.Context.Http, await handler.QuerysetAsync(filters ?? RecordQuery.All));

    /// <summary>Whether <paramref name="data"/> lies inside the scope.</summary>
    public bool InScope(JsonObject data) => Scope.Conditions.Count == 0 && Scope.Search is null || RecordMatcher.Matches(Scope, data);

    /// <summary>Whether the read permission's object-level check admits <paramref name="record"/>.</summary>
    public ValueTask<bool> MayReadAsync(Record record) => _runtime.Authorizer.MayAsync(_http, HttpVerbs.Get, record);

    /// <summary>Whether the caller sees <paramref name="record"/>: inside the scope, and admitted by the object-level check.</summary>
    public async ValueTask<bool> SeesAsync(Record record) => InScope(record.Peek()) && await MayReadAsync(record);

    /// <summary>
    /// Runs <paramref name="work"/> with the visibility of another endpoint's records to the caller — null when that
    /// endpoint's read permission refuses the caller outright — and leaves the request's principal and challenge as they were
    /// (the other endpoint authenticates the caller with its own schemes).
    /// </summary>
    public static async Task<T> AsReaderOfAsync<T>(EndpointRuntime runtime, HttpContext http, Func<RecordVisibility?, Task<T>> work)
    {
        var user = http.User;
        var challenged = http.Response.Headers.ContainsKey(HeaderNames.WWWAuthenticate);
        try
        {
            var refused = !runtime.Model.Methods.HasFlag(HttpVerbs.Get) || await runtime.Authorizer.AuthorizeAsync(http, HttpVerbs.Get) is not null;
            return await work(refused ? null : await OpenAsync(runtime, http));
        }
        finally
        {
            http.User = user;
            if (!challenged) http.Response.Headers.Remove(HeaderNames.WWWAuthenticate);
        }
    }

    /// <summary>The per-record check a query runs inside its paging (null when the permission never refuses a record).</summary>
    public static Func<Record, ValueTask<bool>>? ObjectFilter(EndpointRuntime runtime, HttpContext http) =>
        runtime.Authorizer.ChecksObjects(HttpVerbs.Get) ? r => runtime.Authorizer.MayAsync(http, HttpVerbs.Get, r) : null;
}
