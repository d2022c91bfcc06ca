using LightS3.Model;

namespace LightS3.Hosting;

/// <summary>
/// Makes a <see cref="ConfigurationException"/> (or a failed validation of <see cref="LightS3Options"/>) that escapes a program built on <see cref="LightS3App"/> end the process
/// the way the YAML host does: its message on one line of standard error and exit code 2 (a configuration error),
/// instead of an unhandled-exception crash with a stack trace. Other unhandled exceptions are left to the runtime.
/// </summary>
internal static class ConfigurationErrorExit
{
    /// <summary>Exit code of a configuration error (as <c>LightS3.Yaml validate/serve</c>).</summary>
    public const int ExitCode = 2;

    private static int _installed;

    /// <summary>Installs the handler once per process.</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 1) return;
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (Find(e.ExceptionObject as Exception) is not { } error) return;
            Console.Error.WriteLine($"LightS3 configuration error: {error.Message}");
            Console.Error.Flush();
            Environment.Exit(ExitCode);
        };
    }

    /// <summary>The configuration error behind <paramref name="exception"/> (it may come wrapped by the host).</summary>
    public static Exception? Find(Exception? exception) => exception switch
    {
        ConfigurationException c => c,
        // options validated at start (ValidateOnStart): the message names the setting
        Microsoft.Extensions.Options.OptionsValidationException o when o.OptionsType == typeof(LightS3Options) => o,
        AggregateException a => a.InnerExceptions.Select(Find).FirstOrDefault(c => c is not null),
        { InnerException: { } inner } => Find(inner),
        _ => null,
    };
}
