using LightS3.Endpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LightS3.Hosting;

/// <summary>
/// Runs <see cref="RouteCollisions"/> when the app starts, once the request pipeline — and so every route the host,
/// LightS3 and its endpoints mapped, whenever they mapped it — is built: a collision fails start-up instead of
/// answering 500 later.
/// </summary>
internal sealed class RouteCollisionCheck : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        var services = app.ApplicationServices;
        if (services.GetRequiredService<EndpointRegistry>().Endpoints.Count == 0) return;
        var endpoints = services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).Distinct();
        RouteCollisions.Check(endpoints, OwnRoutes(services.GetRequiredService<IOptions<LightS3Options>>().Value,
            services.GetRequiredService<IOptions<Auth.Module.AuthModuleOptions>>().Value));
    };

    /// <summary>LightS3's own route prefixes, each with what it is and how to move it.</summary>
    private static Dictionary<string, string> OwnRoutes(LightS3Options options, Auth.Module.AuthModuleOptions auth)
    {
        var own = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["/_lights3"] = "LightS3's internal routes",
            ["/healthz"] = "LightS3's health check",
            ["/readyz"] = "LightS3's readiness check",
            [Admin.AdminUiExtensions.Path] = "LightS3's admin UI; LightS3:Admin=false turns it off",
            ["/" + auth.RoutePrefix.Trim('/')] = "LightS3's auth module; LightS3:AuthModule:RoutePrefix moves it",
        };
        if (options.OpenApi.DocsPath is { Length: > 0 } docs)
            own["/" + docs.Trim('/')] = "LightS3's API reference; LightS3:OpenApi:DocsPath moves it";
        own["/" + options.OpenApi.Path.TrimStart('/')] = "LightS3's OpenAPI document; LightS3:OpenApi:Path moves it";
        return own;
    }
}
