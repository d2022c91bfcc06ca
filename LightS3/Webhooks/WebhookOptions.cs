namespace LightS3.Webhooks;

/// <summary>
/// Webhooks (section <c>LightS3:Webhooks</c>, or YAML <c>webhooks:</c>; see docs/webhooks.md): the targets every change
/// is POSTed to, and how deliveries are retried. Targets are configuration only, never client input.
/// </summary>
public sealed class WebhookOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "LightS3:Webhooks";

    /// <summary>The targets. None (the default) turns webhook dispatch off.</summary>
    public List<WebhookTarget> Targets { get; set; } = [];

    /// <summary>Attempts per delivery before it is dead-lettered (default 8).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait after the first failed attempt; it doubles per attempt up to <see cref="MaxRetryDelay"/> (default 1 s).</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between two attempts (default 5 minutes).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one attempt may take, connection included (default 10 s).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the dispatching instance polls the change feed for new changes (default 1 s).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Changes read from the feed per page (default 100); the cursor is saved after each page.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>Records delivered at once per target and collection (default 8); one record's changes always go in order.</summary>
    public int MaxConcurrency { get; set; } = 8;
}

/// <summary>One webhook target: where changes go, which ones, and the signing secret.</summary>
public sealed class WebhookTarget
{
    /// <summary>The events a target receives when it lists none.</summary>
    public static readonly IReadOnlyList<string> AllEvents = ["created", "updated", "deleted", "restored", "purged"];

    /// <summary>
    /// A stable name (letters, digits, <c>-</c>, <c>_</c>): it keys the target's delivery cursor and dead letters. Default:
    /// derived from <see cref="Url"/>, so changing the URL of an unnamed target starts a new cursor.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>The absolute http(s) URL each change is POSTed to.</summary>
    public string Url { get; set; } = "";

    /// <summary>Events to deliver (<c>created</c>, <c>updated</c>, <c>deleted</c>, <c>restored</c>, <c>purged</c>); empty = all.</summary>
    public List<string> Events { get; set; } = [];

    /// <summary>Routes whose changes are delivered (e.g. <c>/books</c>); empty = every registered endpoint.</summary>
    public List<string> Routes { get; set; } = [];

    /// <summary>
    /// The signing secret: <c>whsec_</c> followed by base64 (the Standard Webhooks form, e.g. from a receiver library's
    /// key generator), or any other string, whose UTF-8 bytes are then the key. Null sends unsigned requests.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>The effective name.</summary>
    public string EffectiveName => Name is { Length: > 0 } n ? n
        : "t" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Url)))[..12];

    /// <summary>Whether this target receives <paramref name="webhookEvent"/>.</summary>
    public bool Accepts(string webhookEvent) => Events.Count == 0 || Events.Contains(webhookEvent, StringComparer.Ordinal);

    /// <summary>Whether this target receives changes of the endpoint at <paramref name="route"/>.</summary>
    public bool Covers(string route) => Routes.Count == 0 || Routes.Any(r => string.Equals(r.TrimEnd('/'), route.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
}
