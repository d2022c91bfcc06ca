using System.CommandLine;

namespace LightS3.Cli.Commands;

/// <summary>
/// <c>lights3 store ...</c>: maintenance of the store itself. Its subcommands belong here — <c>store migrate</c> (moving an
/// embedded file store into the SQLite embedded store) comes with that store; add it to <see cref="Subcommands"/>.
/// </summary>
public static class StoreCommand
{
    /// <summary>The subcommands of <c>store</c>; none yet.</summary>
    public static IEnumerable<Command> Subcommands(CliGlobals globals) => [];

    /// <summary>Creates the command.</summary>
    public static Command Create(CliGlobals globals)
    {
        var command = new Command("store", "store maintenance (no subcommands yet)");
        foreach (var sub in Subcommands(globals)) command.Subcommands.Add(sub);
        if (command.Subcommands.Count == 0)
            command.SetAction(int (_) => throw new CliException("lights3 store: no store commands in this version"));
        return command;
    }
}
