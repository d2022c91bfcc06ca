using System.CommandLine;

namespace LightS3.Cli.Commands;

/// <summary><c>lights3 doctor</c>.</summary>
public static class DoctorCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliGlobals globals)
    {
        var command = new Command("doctor", "doctor");
        command.SetAction(int (_) => throw new CliException("not yet"));
        return command;
    }
}
