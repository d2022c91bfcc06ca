using LightS3.Model;

namespace LightS3.Hosting;

/// <summary>
/// Finds the configuration error behind an exception a start-up threw: a <see cref="ConfigurationException"/> or a failed
/// validation of LightS3's options (<c>ValidateOnStart</c>), possibly wrapped by the host. The library never ends the
/// process; <see cref="LightS3App.RunAsync(string[], Action{LightS3App}, Action{Microsoft.AspNetCore.Builder.WebApplicationBuilder}?)"/>
/// and the <c>lights3</c> tool turn it into one line on standard error and exit code 2.
/// </summary>
internal static class ConfigurationErrors
{
    /// <summary>Exit code of a configuration error (as <c>lights3 validate/serve</c>).</summary>
    public const int ExitCode = 2;

    /// <summary>The configuration error behind <paramref name="exception"/>, or null.</summary>
    public static Exception? Find(Exception? exception) => exception switch
    {
        ConfigurationException c => c,
        // options validated at start: the message names the setting and the value
        Microsoft.Extensions.Options.OptionsValidationException o when o.OptionsType.Namespace?.StartsWith("LightS3", StringComparison.Ordinal) == true => o,
        AggregateException a => a.InnerExceptions.Select(Find).FirstOrDefault(c => c is not null),
        { InnerException: { } inner } => Find(inner),
        _ => null,
    };
}
