using System.CommandLine;

namespace LightS3.Cli.Commands;

/// <summary>
/// <c>lights3 serve [FILE] [ASP.NET Core arguments]</c>: serves the YAML file until stopped (Ctrl+C, SIGTERM). Arguments
/// after the file go to ASP.NET Core unchanged (<c>--urls http://0.0.0.0:8080</c>, <c>--environment Production</c>), so
/// they are taken from the raw command line, not parsed.
/// </summary>
public static class ServeCommand
{
    /// <summary>Creates the command; <paramref name="rawArgs"/> is the whole command line.</summary>
    public static Command Create(CliGlobals globals, string[] rawArgs)
    {
        var command = new Command("serve", "serve the API declared in the YAML file (the default command)")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.Arguments.Add(new Argument<string[]>("file-and-host-args")
        {
            Description = "the YAML file (optional; else --config, $LIGHTS3_CONFIG, ./lightapi.yaml), then ASP.NET Core arguments such as --urls http://0.0.0.0:8080",
            Arity = ArgumentArity.ZeroOrMore,
        });
        command.SetAction(async (parse, ct) =>
        {
            var (file, hostArgs) = Split(rawArgs);
            await using var app = globals.Host.BuildServer(globals.ConfigPath(parse, file), hostArgs);
            _ = Task.Run(() => MigrateCommand.WriteBaselineSnapshotsAsync(app, ct), CancellationToken.None);
            await app.RunAsync(ct);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The file (the first argument after <c>serve</c>, unless it is an option) and the ASP.NET Core arguments.</summary>
    public static (string? File, string[] HostArgs) Split(string[] rawArgs)
    {
        var rest = new List<string>();
        var afterServe = false;
        for (var i = 0; i < rawArgs.Length; i++)
        {
            var a = rawArgs[i];
            if (a is "--config" or "-c") { i++; continue; }
            if (a.StartsWith("--config=", StringComparison.Ordinal)) continue;
            if (!afterServe) { afterServe = a == "serve"; continue; }
            rest.Add(a);
        }
        if (rest.Count > 0 && !rest[0].StartsWith('-')) return (rest[0], [.. rest.Skip(1)]);
        return (null, [.. rest]);
    }
}
