using LightS3.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LightS3.Admin;

/// <summary>
/// The admin UI at <c>/admin</c> (see docs/admin.md): a static single-page app, embedded in the assembly, that reads the
/// OpenAPI document and manages records through the REST API with the signed-in user's bearer token. The assets are
/// public; every data call is authorized by the API itself.
/// </summary>
public static class AdminUiExtensions
{
    /// <summary>Where the admin UI is served.</summary>
    public const string Path = "/admin";

    /// <summary>
    /// Serves the admin UI at <c>/admin</c> when <see cref="LightS3Options.Admin"/> is on (404 otherwise).
    /// <see cref="LightS3App.Create"/> calls it; a host that builds its own <c>WebApplication</c> calls it after <c>AddLightS3()</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapLightS3Admin(this IEndpointRouteBuilder routes)
    {
        var options = routes.ServiceProvider.GetRequiredService<IOptions<LightS3Options>>().Value;
        if (!options.Admin) return routes;
        var authPrefix = routes.ServiceProvider.GetRequiredService<IOptions<Auth.Module.AuthModuleOptions>>().Value.RoutePrefix;
        var assets = new AdminAssets(options.OpenApi.Enabled ? "/" + options.OpenApi.Path.TrimStart('/') : "", "/" + authPrefix.Trim('/'));
        routes.MapGet(Path, (HttpContext http) => http.Request.Path.Value!.EndsWith('/') ? assets.Serve("index.html") : Results.Redirect(Path + "/"))
            .ExcludeFromDescription();
        routes.MapGet(Path + "/{file}", (string file) => assets.Serve(file)).ExcludeFromDescription();
        return routes;
    }
}
