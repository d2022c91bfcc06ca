using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace LightS3.Webhooks;

/// <summary>Checks <see cref="WebhookOptions"/> at start: every problem named with its target, all reported together.</summary>
internal sealed partial class WebhookOptionsValidation : IValidateOptions<WebhookOptions>
{
    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex NamePattern();

    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var problems = Problems(options).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>The problems of <paramref name="options"/>, each a sentence naming the setting.</summary>
    public static IEnumerable<string> Problems(WebhookOptions options)
    {
        var s = WebhookOptions.Section;
        if (options.MaxAttempts < 1) yield return $"{s}:MaxAttempts must be at least 1";
        if (options.BatchSize is < 1 or > 1000) yield return $"{s}:BatchSize must be between 1 and 1000";
        if (options.MaxConcurrency < 1) yield return $"{s}:MaxConcurrency must be at least 1";
        if (options.Timeout <= TimeSpan.Zero) yield return $"{s}:Timeout must be positive";
        if (options.FirstRetryDelay < TimeSpan.Zero || options.MaxRetryDelay < options.FirstRetryDelay) yield return $"{s}:FirstRetryDelay must be between 0 and MaxRetryDelay";
        for (var i = 0; i < options.Targets.Count; i++)
            foreach (var problem in TargetProblems(options.Targets[i]))
                yield return $"{s}:Targets:{i}: {problem}";
        foreach (var dup in options.Targets.GroupBy(t => t.EffectiveName, StringComparer.Ordinal).Where(g => g.Count() > 1))
            yield return $"{s}:Targets: name '{dup.Key}' is used by {dup.Count()} targets (give each a distinct name)";
    }

    /// <summary>The problems of one target (shared with the YAML reader).</summary>
    public static IEnumerable<string> TargetProblems(WebhookTarget target)
    {
        if (!Uri.TryCreate(target.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            yield return $"url '{target.Url}' must be an absolute http(s) URL";
        if (target.Name is { } n && !NamePattern().IsMatch(n)) yield return $"name '{n}' may only hold letters, digits, '-' and '_' (at most 64)";
        foreach (var e in target.Events.Where(e => !WebhookTarget.AllEvents.Contains(e)))
            yield return $"unknown event '{e}' (known: {string.Join(", ", WebhookTarget.AllEvents)})";
        foreach (var r in target.Routes.Where(r => !r.StartsWith('/')))
            yield return $"route '{r}' must start with '/'";
        if (target.Secret is { } secret && WebhookSignature.KeyProblem(secret) is { } p) yield return $"secret: {p}";
    }
}
