using LightS3.Endpoints;
using LightS3.Model;
using LightS3.S3Api;
using LightS3.S3Api.Auth;
using LightS3.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LightS3;

/// <summary>Maps the S3-compatible API (docs/s3-api.md). Off unless an app maps it.</summary>
public static class S3ApiEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves the S3 REST protocol at <paramref name="path"/> (<c>""</c>: the root, as a dedicated S3 server) over the app's
    /// store. Settings come from <c>LightS3:S3Api</c>, the <c>LIGHTS3_S3_API_ACCESS_KEY</c> / <c>LIGHTS3_S3_API_SECRET_KEY</c>
    /// variables, then <paramref name="configure"/>; at least one access key is required.
    /// </summary>
    public static IEndpointConventionBuilder MapS3Api(this IEndpointRouteBuilder endpoints, string path = "", Action<S3ApiOptions>? configure = null)
    {
        var services = endpoints.ServiceProvider;
        var options = Options(services.GetService<LightS3Configuration>() ?? LightS3Configuration.Of(services), configure);
        var store = services.GetRequiredService<IObjectStore>();
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var registry = services.GetService<EndpointRegistry>();
        var guard = new S3WriteGuard(() => ProtectedPrefixes(registry));
        var mount = "/" + path.Trim('/');
        var gateway = new S3Gateway(store, new S3Buckets(store, options, time), guard, new SigV4Verifier(options.Credentials, time),
            options, mount == "/" ? "" : mount, time, services.GetRequiredService<ILoggerFactory>().CreateLogger("LightS3.S3Api"));
        var pattern = (mount == "/" ? "" : mount) + "/{**s3path}";
        return endpoints.Map(pattern, gateway.HandleAsync).WithDisplayName("S3 API").ExcludeFromDescription();
    }

    private static S3ApiOptions Options(LightS3Configuration configuration, Action<S3ApiOptions>? configure)
    {
        // LightS3:S3Api with LIGHTS3_S3_API_ACCESS_KEY / _SECRET_KEY mapped onto its Credentials (LightS3ConfigurationProvider)
        if (configuration.Errors.Count > 0) throw new ConfigurationException(configuration.Errors);
        var options = new S3ApiOptions();
        configuration.Bind(S3ApiOptions.Section, options);
        configure?.Invoke(options);
        if (options.Credentials.Count == 0)
            throw new ConfigurationException("the S3 API needs an access key: set LIGHTS3_S3_API_ACCESS_KEY and LIGHTS3_S3_API_SECRET_KEY (or LightS3:S3Api:Credentials)");
        foreach (var name in options.Buckets.Keys)
            if (!S3Keys.IsValidBucketName(name)) throw new ConfigurationException($"LightS3:S3Api:Buckets: '{name}' is not a valid S3 bucket name");
        return options;
    }

    // Every collection's objects ({collection}/records, unique, index, files, …) and reflected records paths.
    private static IEnumerable<string> ProtectedPrefixes(EndpointRegistry? registry) =>
        (registry?.Endpoints.Select(e => e.Model) ?? []).Concat(Auth.Module.AuthCollections.All)
            .SelectMany(m => m.RecordsPath is { } p ? new[] { m.Collection + "/", p.Trim('/') + "/" } : [m.Collection + "/"]);
}
