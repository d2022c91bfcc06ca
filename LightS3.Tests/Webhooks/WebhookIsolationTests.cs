using LightS3.Webhooks;

namespace LightS3.Tests.Webhooks;

/// <summary>Each target advances on its own: a receiver that hangs delays only its own deliveries.</summary>
[Category(LightS3.Tests.Support.External.Category)]
public sealed class WebhookIsolationTests
{
    /// <summary>A hang guard, not a latency bound: a healthy delivery takes a poll interval, a stalled one would never come.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    [Test]
    public async Task A_receiver_that_never_answers_does_not_hold_a_healthy_targets_deliveries()
    {
        await using var hung = HungReceiver.Start();
        await using var healthy = await WebhookReceiver.StartAsync();
        var changes = new ScriptedChanges();
        await using var app = await WebhookApps.StartAsync(changes, healthy, configure: w =>
        {
            w.Targets =
            [
                new WebhookTarget { Name = "hung", Url = hung.Url, Secret = WebhookApps.Secret },
                new WebhookTarget { Name = "healthy", Url = healthy.Url, Secret = WebhookApps.Secret },
            ];
            w.Timeout = TimeSpan.FromMinutes(30); // the hung target's first attempt outlasts the test: it hangs throughout
        });

        changes.Add(WebhookApps.Collection, "create", "rec-1");
        await WebhookReceiver.WaitForAsync(() => healthy.Accepted.Count == 1, HangGuard, "the first change at the healthy target");
        await hung.FirstRequest.WaitAsync(HangGuard); // the hung target has its request, and is hanging on it from now on

        for (var i = 2; i <= 5; i++)
        {
            changes.Add(WebhookApps.Collection, "create", $"rec-{i}");
            await WebhookReceiver.WaitForAsync(() => healthy.Accepted.Count == i, HangGuard, $"change {i} at the healthy target while the other hangs");
        }
        Assert.Multiple(() =>
        {
            Assert.That(healthy.Accepted.Select(r => (string?)System.Text.Json.Nodes.JsonNode.Parse(r.Text)!["data"]!["id"]),
                Is.EqualTo(new[] { "rec-1", "rec-2", "rec-3", "rec-4", "rec-5" }));
            Assert.That(hung.Requests, Is.EqualTo(1), "the hung target is still on its first attempt");
            Assert.That(hung.OpenConnections, Is.EqualTo(1), "and still waiting for its answer");
        });
    }
}
