using System.Diagnostics.Metrics;
using LightS3.Diagnostics;

namespace LightS3.Webhooks;

/// <summary>
/// Webhook metrics on LightS3's meter: <c>lights3.webhooks.attempts</c>, tagged <c>lights3.webhook.target</c> and
/// <c>lights3.webhook.outcome</c> (delivered, failed, dead_lettered).
/// </summary>
internal static class WebhookMetrics
{
    /// <summary>Delivery attempts by outcome.</summary>
    public static readonly Counter<long> Attempts = LightS3Telemetry.Meter.CreateCounter<long>("lights3.webhooks.attempts", "{attempt}", "Webhook delivery attempts by outcome");

    internal static void Count(string target, string outcome) =>
        Attempts.Add(1, new KeyValuePair<string, object?>("lights3.webhook.target", target), new KeyValuePair<string, object?>("lights3.webhook.outcome", outcome));
}
