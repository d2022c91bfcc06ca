using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Endpoints;
using LightS3.Http;
using LightS3.Query;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LightS3.Changes;

/// <summary>
/// The change feed routes of an endpoint with <c>[ChangeFeed]</c> / <c>meta: { changes: true }</c> (docs/realtime.md):
/// <c>GET {route}/_changes?since=&amp;limit=</c> (a page of verified entries and the next cursor) and
/// <c>GET {route}/_events</c> (Server-Sent Events). Both follow the read permission of <c>GET {route}</c>.
/// </summary>
internal static class ChangeRoutes
{
    /// <summary>Entries per page when no limit is given.</summary>
    public const int DefaultLimit = 100;

    /// <summary>Marks the two endpoints for the OpenAPI description.</summary>
    public sealed record Metadata(Model.EndpointModel Model, bool Stream);

    /// <summary>Connects the endpoint to the app's feed and maps both routes, when the model keeps a feed.</summary>
    public static void Map(RouteGroupBuilder group, EndpointRuntime runtime, IServiceProvider services)
    {
        if (!runtime.Model.Time.Changes) return;
        if (services.GetService<ChangeHub>() is null)
            throw new Model.ConfigurationException($"{runtime.Model.Route}: the endpoint keeps a change feed; add it with services.AddLightS3().AddChangeFeed()");
        services.GetRequiredService<ChangeFeed>().Attach(runtime);
        var name = EndpointOperations.NameOf(runtime.Model);
        var route = runtime.Model.Route;
        Func<HttpContext, Task<IResult>> changes = http => Guarded(http, () => ChangesAsync(http, runtime));
        Func<HttpContext, Task> events = http => EventsAsync(http, runtime);
        group.MapGet("/_changes", (Delegate)changes)
            .WithName($"{name}_changes").WithDisplayName($"LightS3 GET {route}/_changes").WithMetadata(new Metadata(runtime.Model, Stream: false))
            .WithSummary("The change feed: acknowledged writes after a cursor")
            .Produces<JsonObject>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/_events", (Delegate)events)
            .WithName($"{name}_events").WithDisplayName($"LightS3 GET {route}/_events").WithMetadata(new Metadata(runtime.Model, Stream: true))
            .WithSummary("Realtime changes as Server-Sent Events")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream").ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status429TooManyRequests);
    }

    private static async Task<IResult> ChangesAsync(HttpContext http, EndpointRuntime runtime)
    {
        var limit = DefaultLimit;
        if (http.Request.Query.TryGetValue("limit", out var l)
            && (!int.TryParse(l.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > ChangeFeed.MaxLimit))
            throw new ApiProblemException(StatusCodes.Status400BadRequest, $"'limit' must be a whole number from 1 to {ChangeFeed.MaxLimit}");
        var since = Since(http);
        var (audience, refused) = await ChangeAudience.OpenAsync(runtime, http, RecordQuery.All);
        if (refused is not null) return refused;
        var page = await http.RequestServices.GetRequiredService<ChangeFeed>().ReadAsync(runtime.Model.Collection, since, limit, http.RequestAborted);
        var list = new JsonArray();
        foreach (var entry in page.Changes)
            if (await audience!.MaySeeAsync(entry)) list.Add(audience.Render(entry, withRecord: true));
        return JsonResults.Ok(new JsonObject { ["changes"] = list, ["next"] = page.Next });
    }

    private static async Task EventsAsync(HttpContext http, EndpointRuntime runtime)
    {
        var logger = Logger(http);
        ChangeAudience? audience = null;
        string? since = null;
        var hub = http.RequestServices.GetRequiredService<ChangeHub>();
        IDisposable? slot = null;
        var opened = await Problems.GuardAsync(http, logger, async () =>
        {
            since = http.Request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } last ? Checked(last, "Last-Event-ID") : Since(http);
            var (query, _) = QueryStringParser.Parse(runtime.Model, ChangeEventStream.Filters(http.Request.Query), runtime.Options.MaxListResults);
            (audience, var refused) = await ChangeAudience.OpenAsync(runtime, http, query);
            if (refused is not null) return refused;
            slot = hub.TryOpen(ClientOf(http));
            return slot is null
                ? Problems.Create(StatusCodes.Status429TooManyRequests, $"too many open event streams (at most {runtime.Options.Changes.MaxConnectionsPerClient} per client)")
                : Results.Empty;
        });
        if (slot is null)
        {
            await opened.ExecuteAsync(http);
            return;
        }
        using (slot)
        {
            var feed = http.RequestServices.GetRequiredService<ChangeFeed>();
            using var subscription = new ChangeSubscription(feed, hub, runtime.Model.Collection, since, http.RequestServices.GetRequiredService<TimeProvider>());
            try
            {
                await ChangeEventStream.RunAsync(http, audience!, subscription, hub, runtime.Options.Changes);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // the stream already started: end it; the client resumes with Last-Event-ID
                logger.LogWarning(e, "event stream of {Route} ended by an error", runtime.Model.Route);
            }
        }
    }

    private static string? Since(HttpContext http) =>
        http.Request.Query.TryGetValue("since", out var s) && s.ToString() is { Length: > 0 } since ? Checked(since, "since") : null;

    private static string Checked(string cursor, string name) =>
        ChangeCursor.IsValid(cursor) ? cursor : throw new ApiProblemException(StatusCodes.Status400BadRequest, $"'{name}' is not a change feed cursor (use a 'next' or an event id)");

    /// <summary>Who a connection counts against: the caller's <c>sub</c>, else its address.</summary>
    private static string ClientOf(HttpContext http) =>
        (http.User.FindFirstValue("sub") ?? http.User.FindFirstValue(ClaimTypes.NameIdentifier)) is { } sub ? $"user:{sub}" : $"ip:{http.Connection.RemoteIpAddress}";

    private static ILogger Logger(HttpContext http) => http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("LightS3.Changes");

    private static Task<IResult> Guarded(HttpContext http, Func<Task<IResult>> action) => Problems.GuardAsync(http, Logger(http), action);
}
