using LightS3.Documents;
using LightS3.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LightS3.Hosting;

/// <summary>DI and pipeline registration for hosts that build their own <c>WebApplication</c>.</summary>
public static class LightS3ServiceCollectionExtensions
{
    /// <summary>
    /// Adds LightS3's services: options (section <c>LightS3</c> plus <c>LIGHTS3_*</c>/<c>AWS_*</c> variables,
    /// then <paramref name="configure"/>), the configured store, the record cache and the endpoint registry.
    /// </summary>
    public static IServiceCollection AddLightS3(this IServiceCollection services, Action<LightS3Options>? configure = null)
    {
        services.AddOptions<LightS3Options>()
            .BindConfiguration(LightS3Options.Section)
            .PostConfigure<IConfiguration>((o, config) => EnvironmentSettings.Apply(config, o));
        if (configure is not null) services.PostConfigure(configure);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RequestCounter>();
        services.TryAddSingleton(sp => StoreFactory.Create(sp.GetRequiredService<IOptions<LightS3Options>>().Value, sp.GetRequiredService<RequestCounter>()));
        services.TryAddSingleton(sp => new RecordCache(sp.GetRequiredService<IOptions<LightS3Options>>().Value.RecordCacheCapacity));
        services.TryAddSingleton<EndpointRegistry>();
        services.TryAddSingleton<Auth.PermissionRegistry>();
        services.AddAuthentication().AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, Auth.JwtAuthenticationHandler>(Auth.JwtAuthenticationHandler.SchemeName, null);
        services.AddProblemDetails();
        services.AddHostedService<StorageStartup>();
        return services;
    }

    /// <summary>Registers a custom permission under <paramref name="name"/>, for YAML's <c>permission: name</c>.</summary>
    public static IServiceCollection AddLightS3Permission<TPermission>(this IServiceCollection services, string name) where TPermission : Auth.IPermission =>
        services.AddSingleton(new Auth.NamedPermission(name, typeof(TPermission)));

    /// <summary>Adds LightS3's middleware: problem responses for unmatched routes and errors, and store request counting.</summary>
    public static IApplicationBuilder UseLightS3(this IApplicationBuilder app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<StoreRequestMetrics>();
        return app;
    }
}
