using System.CommandLine;

namespace LightS3.Cli;

/// <summary>What every command shares: the <c>--config</c> option, the output, and how the app is built.</summary>
public sealed class CliGlobals(CliOutput output, CliHost host)
{
    /// <summary>The environment variable naming the YAML file when <c>--config</c> is not given.</summary>
    public const string ConfigVariable = "LIGHTS3_CONFIG";

    /// <summary>The file used when neither <c>--config</c> nor <c>LIGHTS3_CONFIG</c> is given.</summary>
    public const string DefaultConfigFile = "lightapi.yaml";

    /// <summary><c>--config FILE</c>, accepted before or after the command name.</summary>
    public Option<string?> Config { get; } = new("--config", "-c")
    {
        Description = $"the YAML file (default: ${ConfigVariable}, then ./{DefaultConfigFile})",
        Recursive = true,
    };

    /// <summary>Where commands write.</summary>
    public CliOutput Output { get; } = output;

    /// <summary>Builds apps from the configuration.</summary>
    public CliHost Host { get; } = host;

    /// <summary>The configuration file: <paramref name="positional"/> (legacy <c>validate FILE</c>), else <c>--config</c>, else the environment, else the default.</summary>
    public string ConfigPath(ParseResult parse, string? positional = null) =>
        parse.GetValue(Config) is { Length: > 0 } explicitPath ? explicitPath
        : positional is { Length: > 0 } ? positional
        : Environment.GetEnvironmentVariable(ConfigVariable) is { Length: > 0 } env ? env
        : DefaultConfigFile;
}
