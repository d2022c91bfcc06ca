using LightS3.Endpoints;
using LightS3.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3;

/// <summary>Maps endpoints onto ASP.NET Core routing.</summary>
public static class LightS3EndpointRouteBuilderExtensions
{
    private static readonly string[] AllVerbs = [.. HttpVerbNames.Of(HttpVerbs.All)];

    /// <summary>
    /// Serves the annotated class <paramref name="endpointType"/> at <paramref name="route"/> and <c>{route}/{id}</c>.
    /// Returns the route group of its endpoints, for the host's conventions
    /// (<c>.RequireAuthorization("policy")</c>, <c>.RequireCors(...)</c>, <c>.WithTags(...)</c>, rate-limiting policies).
    /// </summary>
    public static RouteGroupBuilder MapRestEndpoint(this IEndpointRouteBuilder routes, string route, Type endpointType) =>
        routes.MapRestEndpoint(AttributeModelReader.Read(endpointType, route));

    private static List<Middleware> MiddlewareOf(IServiceProvider services, EndpointModel model)
    {
        var registry = services.GetRequiredService<MiddlewareRegistry>();
        var types = registry.Global.ToList();
        if (model.HandlerType is { } handler)
            types.AddRange(handler.GetCustomAttributes(typeof(MiddlewareAttribute), true).Cast<MiddlewareAttribute>().Select(a => a.Type));
        foreach (var t in types.Where(t => !typeof(Middleware).IsAssignableFrom(t)))
            throw new ConfigurationException($"{model.Source}: {t.Name} is not a LightS3 Middleware");
        return types.Select(t => (Middleware)ActivatorUtilities.CreateInstance(services, t)).ToList();
    }

    /// <summary>
    /// Serves an endpoint model (from attributes or YAML): one ASP.NET Core endpoint per verb and route, each with its
    /// name, tag, accepted and produced content, so routing, OpenAPI and the host's conventions see real operations.
    /// Verbs the endpoint does not allow answer 405 with <c>Allow</c> and a problem body.
    /// </summary>
    public static RouteGroupBuilder MapRestEndpoint(this IEndpointRouteBuilder routes, EndpointModel model)
    {
        var runtime = routes.ServiceProvider.GetRequiredService<EndpointRegistry>().Add(model);
        var group = routes.MapGroup(model.Route).WithTags(model.Collection)
            .WithMetadata(new Hosting.RouteOwner(string.IsNullOrEmpty(model.Source) ? model.Route : model.Source)); // see RouteCollisions
        foreach (var m in MiddlewareOf(routes.ServiceProvider, model)) group.AddEndpointFilter(new MiddlewareFilter(m));
        foreach (var operation in EndpointOperations.Of(model))
        {
            var item = operation.OnItem;
            Func<HttpContext, Task<IResult>> handler = http => runtime.HandleAsync(http, item ? (string?)http.Request.RouteValues["id"] : null);
            var endpoint = group.MapMethods(item ? "/{id}" : "", [operation.Method], (Delegate)handler)
                .WithName(operation.Name)
                .WithDisplayName($"LightS3 {operation.Method} {model.Route}{(item ? "/{id}" : "")}");
            operation.Describe(endpoint);
        }
        ReindexRoutes.Map(group, runtime);
        Shaping.BulkRoutes.Map(group, runtime);
        Shaping.ExportRoutes.Map(group, runtime);
        Files.FileRoutes.Map(routes, group, runtime);
        History.TimeEndpoints.Map(group, runtime);
        Changes.ChangeRoutes.Map(group, runtime, routes.ServiceProvider);
        foreach (var (pattern, allowed) in new[] { ("", EndpointOperations.CollectionVerbs), ("/{id}", EndpointOperations.ItemVerbs) })
        {
            var refused = AllVerbs.Except(HttpVerbNames.Of(allowed & model.Methods)).ToArray();
            if (refused.Length == 0) continue;
            Func<HttpContext, Task<IResult>> notAllowed = http => runtime.HandleAsync(http, pattern.Length == 0 ? null : (string?)http.Request.RouteValues["id"]);
            group.MapMethods(pattern, refused, (Delegate)notAllowed).WithDisplayName($"LightS3 {model.Route}{pattern} (not allowed)").ExcludeFromDescription();
        }
        return group;
    }
}
