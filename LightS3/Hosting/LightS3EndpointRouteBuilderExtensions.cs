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

    private static List<Pipeline.Middleware> MiddlewareOf(IServiceProvider services, EndpointModel model)
    {
        var registry = services.GetRequiredService<Pipeline.MiddlewareRegistry>();
        var types = registry.Global.ToList();
        if (model.HandlerType is { } handler)
            types.AddRange(handler.GetCustomAttributes(typeof(Pipeline.MiddlewareAttribute), true).Cast<Pipeline.MiddlewareAttribute>().Select(a => a.Type));
        foreach (var t in types.Where(t => !typeof(Pipeline.Middleware).IsAssignableFrom(t)))
            throw new ConfigurationException($"{model.Source}: {t.Name} is not a LightS3 Middleware");
        return types.Select(t => (Pipeline.Middleware)ActivatorUtilities.CreateInstance(services, t)).ToList();
    }

    /// <summary>Serves an endpoint model (from attributes or YAML).</summary>
    public static IEndpointRouteBuilder MapRestEndpoint(this IEndpointRouteBuilder routes, EndpointModel model)
    {
        var runtime = routes.ServiceProvider.GetRequiredService<EndpointRegistry>().Add(model);
        var middleware = MiddlewareOf(routes.ServiceProvider, model);
        foreach (var (pattern, id) in new[] { (model.Route, false), (model.Route + "/{id}", true) })
        {
            Func<HttpContext, Task<IResult>> handler = http => runtime.HandleAsync(http, id ? (string?)http.Request.RouteValues["id"] : null);
            var endpoint = routes.MapMethods(pattern, Verbs, (Delegate)handler)
                .WithDisplayName($"LightS3 {pattern}");
            foreach (var m in middleware) endpoint.AddEndpointFilter(new Pipeline.MiddlewareFilter(m));
        }
        return routes;
    }
}
