using System.CommandLine;

namespace LightS3.Cli.Commands;

/// <summary><c>lights3 import</c>.</summary>
public static class ImportCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliGlobals globals)
    {
        var command = new Command("import", "import");
        command.SetAction(int (_) => throw new CliException("not yet"));
        return command;
    }
}
