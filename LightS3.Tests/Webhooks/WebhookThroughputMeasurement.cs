using LightS3.Tests.Support;

namespace LightS3.Tests.Webhooks;

/// <summary>
/// Webhook throughput to a local receiver (docs/webhooks.md, docs/benchmarks.md). Explicit: a measurement, not a check;
/// run it alone with <c>--filter FullyQualifiedName~WebhookThroughputMeasurement</c>.
/// </summary>
[Category("Measurement")] // a measurement, not a check: scripts/test.sh leaves it out; run it with --filter TestCategory=Measurement
[Category(External.Category)]
public class WebhookThroughputMeasurement
{
    [TestCase(500)]
    public async Task Dispatch_from_the_change_feed_on_RGW(int records)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var app = await WebhookApps.StartAsync(null, receiver, register: a => a.Register<HookedNoteEndpoint>("/notes"),
            configure: w => w.Targets[0].Routes = ["/notes"]);
        var seeded = DateTimeOffset.UtcNow;
        await app.SeedAsync("/notes", Enumerable.Range(0, records).Select(i => new { title = $"note {i}" }));
        var written = DateTimeOffset.UtcNow;
        await WebhookReceiver.WaitForAsync(() => receiver.Requests.Count >= records, TimeSpan.FromMinutes(5), $"{records} webhooks");
        var first = receiver.Requests.Min(r => r.At);
        var last = receiver.Requests.Max(r => r.At);
        TestContext.Out.WriteLine($"feed → webhooks: {records} records written in {(written - seeded).TotalSeconds:0.0} s; "
            + $"delivered in {(last - first).TotalSeconds:0.0} s from the first = {records / Math.Max(0.001, (last - first).TotalSeconds):0} events/s; "
            + $"last delivery {(last - written).TotalSeconds:0.0} s after the last write");
        Assert.That(receiver.Requests.Select(r => r.Id).Distinct().Count(), Is.EqualTo(records));
    }

    [TestCase(1000)]
    public async Task Dispatch_of_a_backlog_from_the_change_feed_on_RGW(int records)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        string location;
        await using (var writer = await WebhookApps.StartAsync(null, receiver, register: a => a.Register<HookedNoteEndpoint>("/notes"), configure: w => w.Targets = []))
        {
            location = writer.Location;
            await writer.SeedAsync("/notes", Enumerable.Range(0, records).Select(i => new { title = $"note {i}" }), parallelism: 8);
        }
        await Task.Delay(TimeSpan.FromSeconds(3.5)); // past the settle delay: the whole backlog is readable
        var start = DateTimeOffset.UtcNow;
        await using var app = await WebhookApps.StartAsync(null, receiver, location, register: a => a.Register<HookedNoteEndpoint>("/notes"),
            configure: w => w.Targets[0].Routes = ["/notes"]);
        await WebhookReceiver.WaitForAsync(() => receiver.Requests.Count >= records, TimeSpan.FromMinutes(5), $"{records} webhooks");
        var first = receiver.Requests.Min(r => r.At);
        var last = receiver.Requests.Max(r => r.At);
        TestContext.Out.WriteLine($"feed backlog → webhooks: {records} events in {(last - first).TotalSeconds:0.0} s from the first = "
            + $"{records / Math.Max(0.001, (last - first).TotalSeconds):0} events/s ({(last - start).TotalSeconds:0.0} s from app start)");
        Assert.That(receiver.Requests.Select(r => r.Id).Distinct().Count(), Is.EqualTo(records));
    }

    [TestCase(2000)]
    public async Task Dispatch_alone_from_an_in_memory_source(int events)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var changes = new ScriptedChanges();
        for (var i = 0; i < events; i++) changes.Add(WebhookApps.Collection, "create", $"rec-{i}");
        var start = DateTimeOffset.UtcNow;
        await using var app = await WebhookApps.StartAsync(changes, receiver);
        await WebhookReceiver.WaitForAsync(() => receiver.Requests.Count >= events, TimeSpan.FromMinutes(5), $"{events} webhooks");
        var first = receiver.Requests.Min(r => r.At);
        var last = receiver.Requests.Max(r => r.At);
        TestContext.Out.WriteLine($"dispatcher alone: {events} events in {(last - first).TotalSeconds:0.00} s = {events / Math.Max(0.001, (last - first).TotalSeconds):0} events/s (8 concurrent, cursor saved per 100)");
        Assert.That(receiver.Requests.Select(r => r.Id).Distinct().Count(), Is.EqualTo(events));
    }
}
