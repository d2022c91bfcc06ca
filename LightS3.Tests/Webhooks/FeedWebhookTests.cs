using System.Text.Json.Nodes;
using LightS3.Changes;
using LightS3.Endpoints;
using LightS3.Tests.Support;
using LightS3.Webhooks;

namespace LightS3.Tests.Webhooks;

/// <summary>A collection with a change feed, the source webhooks are sent from.</summary>
[ChangeFeed]
public class HookedNoteEndpoint : RestEndpoint<HookedNoteEndpoint>
{
    [Field(MinLength = 1)] public string Title { get; set; } = "";
}

/// <summary>Webhooks sent from LightS3's own change feed, end to end: HTTP writes on RGW to a receiver.</summary>
[Category(External.Category)]
public class FeedWebhookTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(40);

    private static Task<TestApp> StartAsync(WebhookReceiver receiver, string? location = null) =>
        WebhookApps.StartAsync(null, receiver, location, register: app => app.Register<HookedNoteEndpoint>("/notes"),
            configure: w => w.Targets[0].Routes = ["/notes"]);

    [Test]
    public async Task Create_update_and_delete_reach_the_receiver_in_order_signed_and_with_the_record()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var app = await StartAsync(receiver);
        var created = await app.CreateAsync("/notes", new { title = "first" });
        var id = (string)created["id"]!;
        var updated = await app.SendAsync(HttpMethod.Patch, $"/notes/{id}", new { title = "second", version = (long)created["version"]! });
        Assert.That((int)updated.StatusCode, Is.EqualTo(200), await updated.Content.ReadAsStringAsync());
        Assert.That(await app.SendAsync(HttpMethod.Delete, $"/notes/{id}").StatusAsync(), Is.EqualTo(204));

        await WebhookReceiver.WaitForAsync(() => receiver.Accepted.Count >= 3, Wait, "three webhooks");
        var bodies = receiver.Accepted.Select(r => JsonNode.Parse(r.Text)!).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(bodies.Select(b => (string?)b["type"]), Is.EqualTo(new[] { "notes.created", "notes.updated", "notes.deleted" }));
            Assert.That(bodies.Select(b => (string?)b["data"]!["id"]), Is.All.EqualTo(id));
            Assert.That((string?)bodies[0]["data"]!["record"]!["title"], Is.EqualTo("first"));
            Assert.That((string?)bodies[1]["data"]!["record"]!["title"], Is.EqualTo("second"));
            Assert.That(bodies[2]["data"]!["record"], Is.Null, "a delete carries no record");
            Assert.That(receiver.Accepted.All(r => WebhookSignature.Verify(WebhookApps.Secret, r.Id!, r.Timestamp!, r.Signature!, r.Body,
                DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5))), Is.True);
            Assert.That(receiver.Accepted.All(r => StandardWebhooksLibrary.Verifies(r)), Is.True, "the StandardWebhooks library accepts them");
        });
    }

    [Test]
    public async Task Writes_on_two_instances_are_each_delivered_exactly_once_in_total()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var a = await StartAsync(receiver);
        await using var b = await StartAsync(receiver, a.Location);
        const int writes = 40;
        await Parallel.ForEachAsync(Enumerable.Range(0, writes), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            await (i % 2 == 0 ? a : b).CreateAsync("/notes", new { title = $"note {i}" }));

        await WebhookReceiver.WaitForAsync(() => receiver.Requests.Count >= writes, Wait, $"{writes} webhooks");
        // positive control instead of a sleep: one later write on each instance arrives, so the feed has been read past
        // the first 40 (a duplicate of one of them would have been sent by now) and the channel still delivers
        await a.CreateAsync("/notes", new { title = "sentinel a" });
        await b.CreateAsync("/notes", new { title = "sentinel b" });
        await WebhookReceiver.WaitForAsync(() => receiver.Requests.Count(r => r.Text.Contains("\"sentinel ")) == 2, Wait, "both sentinels");
        var titles = receiver.Requests.Select(r => (string?)JsonNode.Parse(r.Text)!["data"]!["record"]!["title"]).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(receiver.Requests, Has.Count.EqualTo(writes + 2), "each write delivered once, by one of the instances");
            Assert.That(titles.Distinct().Count(), Is.EqualTo(writes + 2));
            Assert.That(receiver.Requests.Select(r => r.Id).Distinct().Count(), Is.EqualTo(writes + 2));
        });
    }
}
