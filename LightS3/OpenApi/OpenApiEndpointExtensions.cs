using LightS3.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace LightS3.OpenApi;

/// <summary>Registers and serves the OpenAPI document of the LightS3 endpoints and the interactive docs (see docs/openapi.md).</summary>
public static class OpenApiEndpointExtensions
{
    /// <summary>
    /// Adds the document generator (Microsoft.AspNetCore.OpenApi, document <see cref="OpenApiSettings.DocumentName"/>) with
    /// LightS3's transformers, and reads <c>LIGHTS3_OPENAPI</c> (<c>false</c>, <c>true</c>, or the document's path).
    /// <see cref="LightS3ServiceCollectionExtensions.AddLightS3"/> calls it.
    /// </summary>
    public static IServiceCollection AddLightS3OpenApi(this IServiceCollection services)
    {
        if (services.Any(s => s.ServiceType == typeof(OpenApiDocumentCache))) return services;
        services.TryAddSingleton<OpenApiDocumentCache>();
        services.AddOpenApi(OpenApiSettings.DocumentName, openApi =>
        {
            openApi.OpenApiVersion = Microsoft.OpenApi.OpenApiSpecVersion.OpenApi3_1;
            openApi.AddOperationTransformer<EndpointOperationTransformer>();
            openApi.AddDocumentTransformer<LightS3DocumentTransformer>();
        });
        return services;
    }

    /// <summary>
    /// Serves the document at <see cref="OpenApiSettings.Path"/> and the Scalar docs at <see cref="OpenApiSettings.DocsPath"/>,
    /// unless <see cref="OpenApiSettings.Enabled"/> is off. <see cref="LightS3App.Create"/> calls it; a host that builds its own
    /// <c>WebApplication</c> calls it after <c>AddLightS3()</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapLightS3OpenApi(this IEndpointRouteBuilder routes)
    {
        var settings = routes.ServiceProvider.GetRequiredService<IOptions<LightS3Options>>().Value.OpenApi;
        if (!settings.Enabled) return routes;
        var path = "/" + settings.Path.TrimStart('/');
        routes.MapGet(path, async (HttpContext http, OpenApiDocumentCache cache) =>
                Results.Bytes(await cache.GetAsync(http.RequestAborted), "application/json; charset=utf-8"))
            .WithName("lights3_openapi_document")
            .ExcludeFromDescription();
        if (!string.IsNullOrWhiteSpace(settings.DocsPath))
            DocsPageSecurity.Protect(routes.MapScalarApiReference("/" + settings.DocsPath.Trim('/'), scalar =>
            {
                scalar.WithTitle(settings.Title)
                    .WithOpenApiRoutePattern(path)
                    .DisableDefaultFonts() // the fonts would come from Scalar's CDN: use the system's
                    .DisableTelemetry()
                    .DisableAgent()
                    .DisableMcp();
            }).ExcludeFromDescription());
        return routes;
    }
}
