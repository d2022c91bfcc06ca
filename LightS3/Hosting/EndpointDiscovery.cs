using System.Reflection;
using FluentValidation;
using LightS3.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3;

/// <summary>An endpoint class found by assembly scanning, served at its <see cref="RestRouteAttribute"/> route.</summary>
/// <param name="Route">Where it is served.</param>
/// <param name="Type">The endpoint class.</param>
public sealed record DiscoveredEndpoint(string Route, Type Type);

/// <summary>Assembly scanning (with Scrutor) for endpoint classes, validators, permissions and middleware.</summary>
public static class EndpointDiscovery
{
    /// <summary>
    /// Scans <paramref name="assemblies"/>: endpoint classes with <see cref="RestRouteAttribute"/> (mapped by
    /// <c>LightS3App.Create</c>, or by <see cref="MapDiscoveredRestEndpoints"/> in a host app), FluentValidation validators
    /// (<c>AbstractValidator&lt;TEndpoint&gt;</c>, run after the model's own rules), custom permissions and LightS3 middleware
    /// (registered so they get constructor injection).
    /// </summary>
    public static IServiceCollection AddLightS3EndpointsFrom(this IServiceCollection services, params Assembly[] assemblies)
    {
        foreach (var type in assemblies.SelectMany(a => a.GetExportedTypes()))
            if (type is { IsClass: true, IsAbstract: false } && typeof(RestEndpointBase).IsAssignableFrom(type) && type.GetCustomAttribute<RestRouteAttribute>() is { } route)
                services.AddSingleton(new DiscoveredEndpoint(route.Route, type));
        services.Scan(scan => scan.FromAssemblies(assemblies)
            .AddClasses(c => c.AssignableTo(typeof(IValidator<>)), publicOnly: true)
                .As(t => t.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IValidator<>)))
                .WithSingletonLifetime()
            .AddClasses(c => c.AssignableTo<IPermission>(), publicOnly: true).AsSelf().WithScopedLifetime()
            .AddClasses(c => c.AssignableTo<Middleware>(), publicOnly: true).AsSelf().WithTransientLifetime());
        return services;
    }

    /// <summary>Maps every endpoint class found by <see cref="AddLightS3EndpointsFrom"/> (once each).</summary>
    public static IEndpointRouteBuilder MapDiscoveredRestEndpoints(this IEndpointRouteBuilder routes)
    {
        foreach (var endpoint in routes.ServiceProvider.GetServices<DiscoveredEndpoint>().DistinctBy(e => e.Type))
            routes.MapRestEndpoint(endpoint.Route, endpoint.Type);
        return routes;
    }
}
