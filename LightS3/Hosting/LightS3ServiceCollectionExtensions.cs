using LightS3.Documents;
using LightS3.Endpoints;
using LightS3.Hosting;
using LightS3.OpenApi;
using LightS3.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LightS3;

/// <summary>DI and pipeline registration for hosts that build their own <c>WebApplication</c>.</summary>
public static class LightS3ServiceCollectionExtensions
{
    /// <summary>
    /// Adds LightS3's core services: options (section <c>LightS3</c>, with the <c>LIGHTS3_*</c>/<c>AWS_*</c> variables mapped
    /// onto it by one configuration provider, then <paramref name="configure"/>), the configured store, the record cache,
    /// the endpoint registry, authentication and authorization. Background features are opt-in on the returned builder
    /// (<see cref="LightS3Builder.AddChangeFeed"/>, <see cref="LightS3Builder.AddWebhooks"/>, …).
    /// </summary>
    public static LightS3Builder AddLightS3(this IServiceCollection services, Action<LightS3Options>? configure = null)
    {
        var builder = new LightS3Builder(services);
        LightS3Configuration.Bind<LightS3Options>(services, LightS3Options.Section)
            .Validate(o => o.CursorSigningKeys.All(k => k.Length >= Query.CursorSigner.MinKeyLength),
                $"LightS3:CursorSigningKeys: every key must have at least {Query.CursorSigner.MinKeyLength} characters")
            .Validate(o => o.TrustedProxies.All(p => System.Net.IPAddress.TryParse(p, out _)),
                "LightS3:TrustedProxies (LIGHTS3_TRUSTED_PROXIES): every entry must be an IP address, e.g. 10.0.0.5")
            .ValidateOnStart();
        LightS3Configuration.Describe<S3ApiOptions>(services, S3ApiOptions.Section); // bound by MapS3Api
        services.AddLightS3OpenApi();
        if (configure is not null) services.PostConfigure(configure);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RequestCounter>();
        // an IAmazonS3 the app registers (AWSSDK.Extensions.NETCore.Setup: profiles, credential chains) is used when present
        services.TryAddSingleton(sp => StoreFactory.Create(sp.GetRequiredService<IOptions<LightS3Options>>().Value, sp.GetRequiredService<RequestCounter>(),
            sp.GetService<Amazon.S3.IAmazonS3>()));
        // cross-cutting store behaviour as decorators: spans and metrics for every store operation
        services.Decorate<IObjectStore, Diagnostics.InstrumentedObjectStore>();
        services.TryAddSingleton(sp => new RecordCache(sp.GetRequiredService<IOptions<LightS3Options>>().Value.RecordCacheCapacity));
        services.TryAddSingleton<DocumentStore>();
        services.TryAddSingleton<IDocumentStore>(sp => sp.GetRequiredService<DocumentStore>());
        services.TryAddSingleton<EndpointRegistry>();
        services.TryAddSingleton(_ => Migrations.MigrationCatalog.FromEntryAssembly());
        services.TryAddSingleton<ReindexJobs>();
        services.TryAddSingleton<Files.FileService>();
        services.TryAddSingleton(sp => new Query.CursorSigner(sp.GetRequiredService<IOptions<LightS3Options>>().Value.CursorSigningKeys,
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<Query.CursorSigner>>()));
        services.TryAddSingleton<Auth.PermissionRegistry>();
        services.TryAddSingleton<MiddlewareRegistry>();
        services.TryAddSingleton<Caching.IResponseCache>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<LightS3Options>>().Value;
            return string.IsNullOrEmpty(o.RedisUrl)
                ? new Caching.MemoryResponseCache(sp.GetRequiredService<TimeProvider>())
                : new Caching.RedisResponseCache(new Caching.RedisResponseCacheOptions
                {
                    Url = o.RedisUrl,
                    Timeout = o.CacheTimeout,
                    JournalPath = o.CacheJournalPath,
                    RetryInterval = o.CacheInvalidationRetry,
                }, sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<Caching.RedisResponseCache>>());
        });
        services.AddHostedService<Caching.ResponseCacheStartup>(); // a start-up step: Redis connects before the first request
        // a named scheme that never becomes the host's default: LightS3 endpoints authenticate with it explicitly
        services.AddAuthentication().AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, Auth.JwtAuthenticationHandler>(Auth.JwtAuthenticationHandler.SchemeName, null);
        services.PostConfigure<Microsoft.AspNetCore.Authentication.AuthenticationOptions>(Auth.JwtAuthenticationHandler.KeepOutOfHostDefaults);
        // permissions are authorization requirements; LightS3Policies.* serve the host's own routes
        services.AddAuthorization();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, Auth.Authorization.PermissionAuthorizationHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, Auth.Authorization.AdminUserAuthorizationHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<Microsoft.AspNetCore.Authorization.AuthorizationOptions>, Auth.Authorization.LightS3Policies.Setup>());
        services.AddExceptionHandler<Http.LightS3ExceptionHandler>();
        services.AddProblemDetails();
        HostSettingsComposition.Add(services); // problem details and rate-limit rejections: composed with the host's, never assigned over them
        LightS3Configuration.Bind<Auth.Module.AuthModuleOptions>(services, LightS3Options.Section + ":AuthModule");
        services.TryAddSingleton<Auth.Module.AuthService>();
        services.TryAddSingleton<Auth.Module.MappedAuthModule>();
        services.TryAddSingleton<Microsoft.AspNetCore.Identity.IPasswordHasher<Auth.Module.AuthUser>, Microsoft.AspNetCore.Identity.PasswordHasher<Auth.Module.AuthUser>>();
        services.AddCors();
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Auth.Module.AuthModuleEndpoints.RateLimitPolicy, http =>
            {
                var module = http.RequestServices.GetRequiredService<IOptions<Auth.Module.AuthModuleOptions>>().Value;
                return Http.ClientRateLimits.Partition(http, module.AttemptsPerWindow, module.AttemptWindow);
            });
        });
        services.AddHostedService<StorageStartup>(); // a start-up step: checks (or creates) the bucket once
        Jobs.JobServiceCollectionExtensions.AddLightS3Jobs(services);
        // the features' work is available to commands (lights3 gc) and requests; their loops are LightS3Builder's opt-ins
        services.TryAddSingleton<GarbageCollectionService>();
        services.TryAddSingleton<ExpirySweepService>();
        services.TryAddSingleton<Changes.ChangeFeed>();
        services.TryAddSingleton<Pipeline.BackgroundTasks>();
        builder.Background<Pipeline.BackgroundTasks>(); // an idle queue until a hook calls Context.Background
        services.TryAddSingleton<Endpoints.RelationGraph>();
        services.TryAddSingleton<Endpoints.OnDeleteJobs>();
        services.TryAddEnumerable(ServiceDescriptor.Transient<Microsoft.AspNetCore.Hosting.IStartupFilter, RouteCollisionCheck>());
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage").AddCheck<CacheHealthCheck>("cache").AddCheck<Jobs.JobsHealthCheck>("jobs");
        return builder;
    }

    /// <summary>Maps the built-in user and token service under <c>/auth</c> (see docs/auth.md).</summary>
    public static IEndpointRouteBuilder MapLightS3AuthModule(this IEndpointRouteBuilder routes) => Auth.Module.AuthModuleEndpoints.MapAuthModule(routes);

    /// <summary>Registers a custom permission under <paramref name="name"/>, for YAML's <c>permission: name</c>.</summary>
    public static IServiceCollection AddLightS3Permission<TPermission>(this IServiceCollection services, string name) where TPermission : IPermission =>
        services.AddSingleton(new Auth.NamedPermission(name, typeof(TPermission)));

    /// <summary>Adds LightS3's middleware: problem responses for unmatched routes and errors, and store request counting.</summary>
    public static IApplicationBuilder UseLightS3(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<LightS3Options>>().Value;
        if (options.TrustedProxies.Count > 0)
        {
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto, ForwardLimit = 1 };
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear(); // only the configured proxies, not the loopback default
            foreach (var proxy in options.TrustedProxies) forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            app.UseForwardedHeaders(forwarded);
        }
        if (options.CorsOrigins.Count > 0)
            app.UseCors(p => p.WithOrigins([.. options.CorsOrigins]).AllowAnyHeader().AllowAnyMethod().WithExposedHeaders("ETag", "Location"));
        app.UseRateLimiter();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<StoreRequestMetrics>();
        return app;
    }
}
