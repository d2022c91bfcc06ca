namespace LightS3.Cli;

/// <summary>A command refused to run or failed in a way its message explains fully: printed on one line, no stack trace.</summary>
/// <param name="message">What went wrong, for the user.</param>
/// <param name="exitCode">The process exit code (<see cref="ExitCodes"/>).</param>
public sealed class CliException(string message, int exitCode = ExitCodes.Usage) : Exception(message)
{
    /// <summary>The process exit code.</summary>
    public int ExitCode { get; } = exitCode;
}
