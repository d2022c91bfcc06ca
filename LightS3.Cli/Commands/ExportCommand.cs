using System.CommandLine;

namespace LightS3.Cli.Commands;

/// <summary><c>lights3 export</c>.</summary>
public static class ExportCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliGlobals globals)
    {
        var command = new Command("export", "export");
        command.SetAction(int (_) => throw new CliException("not yet"));
        return command;
    }
}
