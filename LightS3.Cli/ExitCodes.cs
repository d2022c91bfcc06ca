namespace LightS3.Cli;

/// <summary>The tool's exit codes (docs/cli.md).</summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Ok = 0;

    /// <summary>The command ran and failed: a check failed, some records were rejected, a verification did not match.</summary>
    public const int Failure = 1;

    /// <summary>Bad usage (unknown command or option, missing argument) or a configuration error (bad YAML, missing key, unknown route).</summary>
    public const int Usage = 2;

    /// <summary>The configured store could not be reached.</summary>
    public const int StorageUnavailable = 3;
}
