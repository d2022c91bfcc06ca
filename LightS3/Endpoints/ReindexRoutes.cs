using LightS3.Documents;
using LightS3.Hosting;
using LightS3.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LightS3.Endpoints;

/// <summary>
/// The admin operations of a collection with indexes: <c>POST {route}/_reindex</c> starts a rebuild in the background
/// (202 with its status), <c>GET {route}/_reindex</c> follows it. Admins only (<see cref="IsAdminUser"/>).
/// </summary>
internal static class ReindexRoutes
{
    /// <summary>The path segment, after the collection's route.</summary>
    public const string Segment = "/_reindex";

    /// <summary>Marks the two endpoints for the OpenAPI description.</summary>
    public sealed record Metadata(Model.EndpointModel Model, bool Start);

    /// <summary>Maps both routes on the collection's group when the model has indexes.</summary>
    public static void Map(RouteGroupBuilder group, EndpointRuntime runtime)
    {
        if (!runtime.Model.IndexedFields.Any()) return;
        var name = EndpointOperations.NameOf(runtime.Model);
        Func<HttpContext, Task<IResult>> start = http => Guarded(http, runtime, () => StartAsync(http, runtime));
        Func<HttpContext, Task<IResult>> follow = http => Guarded(http, runtime, async () => Results.Json(await Jobs(http).GetAsync(runtime.Repository, http.RequestAborted)));
        group.MapPost(Segment, (Delegate)start)
            .WithName($"{name}_reindex").WithMetadata(new Metadata(runtime.Model, Start: true))
            .Produces<ReindexStatus>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet(Segment, (Delegate)follow)
            .WithName($"{name}_reindex_status").WithMetadata(new Metadata(runtime.Model, Start: false))
            .Produces<ReindexStatus>(StatusCodes.Status200OK);
    }

    private static ReindexJobs Jobs(HttpContext http) => http.RequestServices.GetRequiredService<ReindexJobs>();

    private static async Task<IResult> StartAsync(HttpContext http, EndpointRuntime runtime)
    {
        var registry = http.RequestServices.GetRequiredService<EndpointRegistry>();
        var status = await Jobs(http).StartAsync(runtime.Repository, (progress, ct) => registry.RebuildIndexesAsync(runtime, progress, ct), http.RequestAborted);
        http.Response.Headers.Location = $"{http.Request.PathBase}{runtime.Model.Route}{Segment}";
        return Results.Json(status, statusCode: StatusCodes.Status202Accepted);
    }

    private static Task<IResult> Guarded(HttpContext http, EndpointRuntime runtime, Func<Task<IResult>> action) =>
        Problems.GuardAsync(http, http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("LightS3.Reindex"),
            async () => await runtime.Authorizer.AuthorizeAdminAsync(http) ?? await action());
}
