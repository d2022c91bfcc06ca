using System.CommandLine;
using LightS3.Cli.Commands;
using LightS3.Model;
using LightS3.Storage;

namespace LightS3.Cli;

/// <summary>
/// The <c>lights3</c> command line (docs/cli.md): parses with System.CommandLine, runs one command, and turns what
/// escapes it into a one-line message and an exit code (<see cref="ExitCodes"/>) — never a stack trace.
/// </summary>
public static class LightS3Cli
{
    /// <summary>Runs the command line <paramref name="args"/> (no arguments means <c>serve</c>).</summary>
    public static async Task<int> RunAsync(string[] args, CliOutput? output = null, CliHost? host = null)
    {
        var globals = new CliGlobals(output ?? CliOutput.ForConsole(), host ?? new CliHost());
        if (args.Length == 0) args = ["serve"];
        var root = CreateRoot(globals, args);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) globals.Output.Problem(error.Message);
            globals.Output.Problem("run 'lights3 --help' for usage");
            return ExitCodes.Usage;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (Explain(e) is { } known)
        {
            foreach (var line in known.Lines) globals.Output.Problem(line);
            return known.ExitCode;
        }
    }

    /// <summary>
    /// Runs a command inside a C# app, on the app's own endpoints, migrations and store (docs/cli.md):
    /// <c>if (args is ["lights3", ..]) return await LightS3Cli.RunAsync(args[1..], app);</c> makes
    /// <c>dotnet run -- lights3 migrate up</c> work. The app is built but not started; the command disposes it.
    /// </summary>
    public static Task<int> RunAsync(string[] args, LightS3App app, CliOutput? output = null) =>
        RunAsync(args, output, new AppCliHost(app));

    /// <summary>The root command with every subcommand.</summary>
    public static RootCommand CreateRoot(CliGlobals globals, string[] args)
    {
        var root = new RootCommand("lights3: serve and operate a LightS3 API declared in YAML (docs/cli.md)");
        root.Options.Add(globals.Config);
        root.Subcommands.Add(ServeCommand.Create(globals, args));
        root.Subcommands.Add(ValidateCommand.Create(globals));
        root.Subcommands.Add(RoutesCommand.Create(globals));
        root.Subcommands.Add(OpenApiCommand.Create(globals));
        root.Subcommands.Add(ReindexCommand.Create(globals));
        root.Subcommands.Add(GcCommand.Create(globals));
        root.Subcommands.Add(DoctorCommand.Create(globals));
        root.Subcommands.Add(UsersCommand.Create(globals));
        root.Subcommands.Add(TokenCommand.Create(globals));
        root.Subcommands.Add(ImportCommand.Create(globals));
        root.Subcommands.Add(ExportCommand.Create(globals));
        root.Subcommands.Add(BackupCommands.Backup(globals));
        root.Subcommands.Add(BackupCommands.Restore(globals));
        root.Subcommands.Add(StoreCommand.Create(globals));
        root.Subcommands.Add(MigrateCommand.Create(globals));
        root.Subcommands.Add(S3Command.Create(globals, args));
        return root;
    }

    private sealed record Explained(IReadOnlyList<string> Lines, int ExitCode);

    /// <summary>The message and exit code of an error a user can act on; null for a bug (left to crash with its trace).</summary>
    private static Explained? Explain(Exception? e) => e switch
    {
        CliException c => new([c.Message], c.ExitCode),
        ConfigurationException c => new(c.Problems, ExitCodes.Usage),
        Microsoft.Extensions.Options.OptionsValidationException o => new(o.Failures.ToList(), ExitCodes.Usage),
        StorageUnavailableException s => new([$"storage is unavailable: {s.Message}{(s.InnerException is { } i ? $" ({i.Message})" : "")}"], ExitCodes.StorageUnavailable),
        AggregateException a => a.InnerExceptions.Select(Explain).FirstOrDefault(x => x is not null),
        { InnerException: { } inner } => Explain(inner),
        _ => null,
    };
}
