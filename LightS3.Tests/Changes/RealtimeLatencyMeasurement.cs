using System.Text.Json.Nodes;
using LightS3.Changes;
using LightS3.Hosting;
using LightS3.Tests.Support;

namespace LightS3.Tests.Changes;

/// <summary>
/// Measures event latency A→B (write request sent on A → event received on B) over one RGW bucket, with Redis and
/// without, and prints p50/p99 for docs/realtime.md. Asserts only that every event arrived; no timing asserts.
/// </summary>
[Category("Measurement")] // a measurement, not a check: scripts/test.sh leaves it out; run it with --filter TestCategory=Measurement
[Category(External.Category)]
public sealed class RealtimeLatencyMeasurement
{
    [TestCase(true, 200, 50)]
    [TestCase(false, 100, 250)]
    public async Task Event_latency_from_A_to_B(bool redis, int writes, int gapMs)
    {
        void Configure(LightS3Options o) => o.RedisUrl = redis ? RedisServer.SharedUrl : null;
        await using var a = await ChangeApps.StartAsync(TestStore.S3, Configure);
        await using var b = await ChangeApps.StartAsync(TestStore.S3, Configure, location: a.Location);
        await Task.Delay(TimeSpan.FromSeconds(2)); // Redis subscriptions up
        await using var subscriber = await EventStreamClient.OpenAsync(b.Client, "/tasks/_events");
        await a.CreateAsync("/tasks", new { title = "warm-up" });
        Assert.That(await subscriber.NextAsync(TimeSpan.FromSeconds(10)), Is.Not.Null);

        var sent = new Dictionary<string, DateTimeOffset>();
        var receiving = subscriber.TakeAsync(writes, TimeSpan.FromSeconds(writes * gapMs / 1000.0 + 30));
        for (var i = 0; i < writes; i++)
        {
            var start = DateTimeOffset.UtcNow;
            var created = await a.CreateAsync("/tasks", new { title = $"t{i}" });
            sent[created["id"]!.GetValue<string>()] = start;
            await Task.Delay(gapMs);
        }
        var received = await receiving;
        var latencies = received.Select(e => (e.ReceivedAt - sent[e.Data["id"]!.GetValue<string>()]).TotalMilliseconds).Order().ToList();
        double P(double q) => latencies[(int)Math.Min(latencies.Count - 1, Math.Ceiling(q * latencies.Count) - 1)];
        TestContext.Out.WriteLine($"A→B {(redis ? "with Redis" : "without Redis (feed tail)")}: n={latencies.Count} p50={P(0.5):0} ms p99={P(0.99):0} ms max={latencies[^1]:0} ms");
        Assert.That(received.Select(e => e.Data["id"]!.GetValue<string>()), Is.EquivalentTo(sent.Keys));
    }
}
