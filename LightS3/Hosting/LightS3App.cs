using LightS3.Endpoints;
using LightS3.Hosting;
using LightS3.Model;
using LightS3.OpenApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LightS3;

/// <summary>
/// The quick way to run LightS3: a configured ASP.NET Core app to register endpoints on.
/// <code>
/// var app = LightS3App.Create(args);
/// app.Register("/books", typeof(BookEndpoint));
/// app.Run();
/// </code>
/// Listens on http://localhost:8000 unless URLs are configured (<c>--urls</c>, <c>ASPNETCORE_URLS</c>).
/// </summary>
public sealed class LightS3App : IAsyncDisposable
{
    /// <summary>Default address, as LightAPI's.</summary>
    public const string DefaultUrl = "http://localhost:8000";

    private LightS3App(WebApplication web) => Web = web;

    /// <summary>The underlying ASP.NET Core application (add your own middleware and routes to it).</summary>
    public WebApplication Web { get; }

    /// <summary>The app's services.</summary>
    public IServiceProvider Services => Web.Services;

    /// <summary>
    /// Creates an app with every LightS3 feature on (change feed, webhooks, garbage collection, expiry, relation jobs);
    /// <paramref name="configure"/> may adjust the builder (services, configuration, URLs). A configuration error (a
    /// missing bucket or JWT key, a bad endpoint class, a setting that does not parse) is thrown — as a
    /// <see cref="ConfigurationException"/> or an <c>OptionsValidationException</c> at start; <see cref="RunAsync(string[], Action{LightS3App}, Action{WebApplicationBuilder}?)"/>
    /// turns it into exit code 2 and one line on standard error.
    /// </summary>
    public static LightS3App Create(string[]? args = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args ?? []);
        builder.Services.AddLightS3().AddAll();
        configure?.Invoke(builder);
        if (string.IsNullOrEmpty(builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey))
            && string.IsNullOrEmpty(builder.WebHost.GetSetting(WebHostDefaults.HttpPortsKey))
            && string.IsNullOrEmpty(builder.WebHost.GetSetting(WebHostDefaults.HttpsPortsKey)))
            builder.WebHost.UseUrls(DefaultUrl);
        var web = builder.Build();
        web.UseLightS3();
        web.MapLightS3Health();
        Webhooks.WebhookAdminRoutes.MapLightS3Webhooks(web);
        web.MapDiscoveredRestEndpoints();
        web.MapLightS3OpenApi();
        Admin.AdminUiExtensions.MapLightS3Admin(web);
        return new LightS3App(web);
    }

    /// <summary>Serves <paramref name="endpointType"/> (a <c>RestEndpoint&lt;TSelf&gt;</c> subclass) at <paramref name="route"/>.</summary>
    public LightS3App Register(string route, Type endpointType)
    {
        Web.MapRestEndpoint(route, endpointType);
        return this;
    }

    /// <summary>Serves <typeparamref name="TEndpoint"/> at <paramref name="route"/>.</summary>
    public LightS3App Register<TEndpoint>(string route) => Register(route, typeof(TEndpoint));

    /// <summary>Serves several endpoints: <c>app.Register(new() { ["/books"] = typeof(BookEndpoint) })</c>.</summary>
    public LightS3App Register(Dictionary<string, Type> routes)
    {
        foreach (var (route, type) in routes) Register(route, type);
        return this;
    }

    /// <summary>Serves an endpoint model built elsewhere (e.g. from YAML).</summary>
    public LightS3App RegisterModel(EndpointModel model)
    {
        Web.MapRestEndpoint(model);
        return this;
    }

    /// <summary>
    /// Adds app-wide middleware (LightAPI's <c>middlewares=[...]</c>): runs around every endpoint registered after
    /// this call, in declaration order before the endpoint and in reverse after it.
    /// </summary>
    public LightS3App UseMiddleware<TMiddleware>() where TMiddleware : Middleware
    {
        Services.GetRequiredService<MiddlewareRegistry>().Add(typeof(TMiddleware));
        return this;
    }

    /// <summary>Serves the built-in user and token service under <c>/auth</c> (needs <c>LIGHTS3_JWT_SECRET</c>).</summary>
    public LightS3App UseAuthModule()
    {
        Auth.Module.AuthModuleEndpoints.MapAuthModule(Web);
        return this;
    }

    /// <summary>A fluent query over the records of the endpoint at <paramref name="route"/>.</summary>
    public Query.RecordSet Query(string route) => Services.GetRequiredService<EndpointRegistry>().Get(route).Query();

    /// <summary>
    /// Re-indexes the collection of the endpoint at <paramref name="route"/> (see <see cref="Documents.IndexRebuilder"/>),
    /// e.g. after adding <c>Index</c> to a field of existing records.
    /// </summary>
    public Task<IndexRebuildReport> RebuildIndexesAsync(string route, IProgress<IndexRebuildProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var registry = Services.GetRequiredService<EndpointRegistry>();
        return registry.RebuildIndexesAsync(registry.Get(route), progress, cancellationToken);
    }

    /// <summary>
    /// A whole program: creates the app (<paramref name="configure"/> adjusts the builder), lets <paramref name="register"/>
    /// add its endpoints, and serves until shutdown. Returns the process exit code: 0, or 2 after one line on standard
    /// error for a configuration error (no stack trace). <c>return await LightS3App.RunAsync(args, app => app.Register&lt;BookEndpoint&gt;("/books"));</c>
    /// </summary>
    public static async Task<int> RunAsync(string[] args, Action<LightS3App> register, Action<WebApplicationBuilder>? configure = null)
    {
        try
        {
            await using var app = Create(args, configure);
            register(app);
            await app.RunAsync();
            return 0;
        }
        catch (Exception e) when (ConfigurationErrors.Find(e) is { } error)
        {
            await Console.Error.WriteLineAsync($"LightS3 configuration error: {OneLine(error)}");
            return ConfigurationErrors.ExitCode;
        }
    }

    private static string OneLine(Exception error) =>
        (error is Microsoft.Extensions.Options.OptionsValidationException o ? string.Join("; ", o.Failures) : error.Message).ReplaceLineEndings(" ");

    /// <summary>Runs until shutdown.</summary>
    public void Run() => Web.Run();

    /// <summary>Runs until <paramref name="cancellationToken"/> or shutdown.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        await Web.StartAsync(cancellationToken);
        await Web.WaitForShutdownAsync(cancellationToken);
    }

    /// <summary>Starts listening.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => Web.StartAsync(cancellationToken);

    /// <summary>Stops listening.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => Web.StopAsync(cancellationToken);

    /// <summary>The addresses actually bound (after <see cref="StartAsync"/>); resolves port 0.</summary>
    public IReadOnlyList<string> Urls =>
        Web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Web.DisposeAsync();
}
