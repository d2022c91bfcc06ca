using LightS3.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Hosting;

/// <summary>Maps endpoints onto ASP.NET Core routing.</summary>
public static class LightS3EndpointRouteBuilderExtensions
{
    private static readonly string[] Verbs = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    /// <summary>Serves the annotated class <paramref name="endpointType"/> at <paramref name="route"/> and <c>{route}/{id}</c>.</summary>
    public static IEndpointRouteBuilder MapRestEndpoint(this IEndpointRouteBuilder routes, string route, Type endpointType) =>
        routes.MapRestEndpoint(AttributeModelReader.Read(endpointType, route));

    /// <summary>Serves an endpoint model (from attributes or YAML).</summary>
    public static IEndpointRouteBuilder MapRestEndpoint(this IEndpointRouteBuilder routes, EndpointModel model)
    {
        var runtime = routes.ServiceProvider.GetRequiredService<EndpointRegistry>().Add(model);
        routes.MapMethods(model.Route, Verbs, http => runtime.HandleAsync(http, null))
            .WithDisplayName($"LightS3 {model.Route}");
        routes.MapMethods(model.Route + "/{id}", Verbs, http => runtime.HandleAsync(http, (string?)http.Request.RouteValues["id"]))
            .WithDisplayName($"LightS3 {model.Route}/{{id}}");
        return routes;
    }
}
