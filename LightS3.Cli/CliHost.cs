using LightS3.Hosting;
using LightS3.Yaml;
using LightS3.Yaml.Config;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace LightS3.Cli;

/// <summary>
/// Builds the app a command works on from the YAML file, exactly as <c>serve</c> would (same stores, options, endpoint
/// checks), but quiet: logs at Warning and above, on standard error, so they never mix with a command's output.
/// </summary>
public class CliHost
{
    /// <summary>Whether commands work on a YAML file (false for a C# app's own host: <see cref="LightS3Cli.RunAsync(string[], LightS3App, CliOutput?)"/>).</summary>
    public virtual bool ServesYaml => true;

    /// <summary>Reads and checks the YAML file (every problem at once, as a <see cref="Model.ConfigurationException"/>).</summary>
    public virtual YamlConfig Read(string path) => YamlConfigReader.ReadFile(path);

    /// <summary>
    /// Builds the app a command works on, without starting it; <paramref name="hostArgs"/> are ASP.NET Core arguments
    /// (<c>--urls</c>, …). It holds every service of the YAML app but runs no background service (no webhook dispatcher,
    /// change-feed hub, garbage collection, expiry sweep or relation jobs): a command does its own work and exits.
    /// </summary>
    public virtual LightS3App Build(string path, string[]? hostArgs = null, Action<WebApplicationBuilder>? configure = null) =>
        YamlApp.Build(Read(path), hostArgs, builder =>
        {
            Quiet(builder);
            LightS3Builder.WithoutBackground(builder.Services);
            configure?.Invoke(builder);
        });

    /// <summary>Builds the app <c>serve</c> runs: the YAML app with its background services.</summary>
    public virtual LightS3App BuildServer(string path, string[]? hostArgs = null) => YamlApp.Build(Read(path), hostArgs, Quiet);

    /// <summary>
    /// Builds the app's services (store, options) without registering its endpoints: for commands that must run where
    /// serve would refuse an endpoint (doctor reports a missing JWT key instead of stopping at it).
    /// </summary>
    public virtual LightS3App BuildServicesOnly(YamlConfig config) =>
        YamlApp.Build(config with { Endpoints = [] }, null, builder =>
        {
            Quiet(builder);
            LightS3Builder.WithoutBackground(builder.Services);
        });

    /// <summary>Logs warnings and errors only, all on standard error.</summary>
    public static void Quiet(WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(null, LogLevel.Warning);
        Microsoft.Extensions.DependencyInjection.OptionsServiceCollectionExtensions.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(builder.Services, o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }
}
