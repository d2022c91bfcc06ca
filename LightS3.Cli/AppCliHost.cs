using LightS3.Hosting;
using LightS3.Yaml.Config;
using Microsoft.AspNetCore.Builder;

namespace LightS3.Cli;

/// <summary>
/// The host of commands run inside a C# app (<see cref="LightS3Cli.RunAsync(string[], LightS3App, CliOutput?)"/>):
/// every command works on the app itself — its registered endpoints, migrations, store and options — instead of a YAML file.
/// </summary>
/// <param name="app">The app, built (endpoints registered) but not started.</param>
public sealed class AppCliHost(LightS3App app) : CliHost
{
    /// <inheritdoc />
    public override bool ServesYaml => false;

    /// <inheritdoc />
    public override YamlConfig Read(string path) =>
        throw new CliException("this command reads a YAML file; inside a C# app the app's own endpoints are used — run it with the YAML host (lights3)");

    /// <inheritdoc />
    public override LightS3App Build(string path, string[]? hostArgs = null, Action<WebApplicationBuilder>? configure = null) => app;

    /// <inheritdoc />
    public override LightS3App BuildServer(string path, string[]? hostArgs = null) => app;

    /// <inheritdoc />
    public override LightS3App BuildServicesOnly(YamlConfig config) => app;
}
