using System.Diagnostics;
using System.Diagnostics.Metrics;
using LightS3.Diagnostics;
using LightS3.Tests.Support;

namespace LightS3.Tests.Diagnostics;

/// <summary>Every store operation is a span and a measurement on the <c>LightS3</c> source and meter.</summary>
[NonParallelizable]
public sealed class TelemetryTests
{
    [Test]
    public async Task Store_operations_are_spans_and_counted_by_operation_and_outcome_including_cas_conflicts()
    {
        using var spans = new SpanRecorder();
        var measurements = new List<(string Instrument, long Value, Dictionary<string, object?> Tags)>();
        using var meters = new MeterListener { InstrumentPublished = (i, l) => { if (i.Meter.Name == LightS3Telemetry.Name) l.EnableMeasurementEvents(i); } };
        meters.SetMeasurementEventCallback<long>((i, v, tags, _) =>
        {
            lock (measurements) measurements.Add((i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
        });
        meters.Start();

        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<BookEndpoint>("/books"));
        var id = (await app.CreateAsync("/books", new { title = "t", author = "a" }))["id"]!.GetValue<string>();
        Assert.That(await app.SendAsync(HttpMethod.Patch, $"/books/{id}", new { title = "u", version = 1 }).StatusAsync(), Is.EqualTo(200));
        // a writer holding a stale ETag: the store refuses its compare-and-swap
        Assert.ThrowsAsync<LightS3.Storage.PreconditionFailedException>(() => app.ObjectStore.PutAsync(
            new LightS3.Documents.CollectionLayout("books").RecordKey(id), "{}"u8.ToArray(), LightS3.Storage.WriteCondition.IfMatch("0123456789abcdef")));

        Assert.That(spans.Spans.Select(s => s.GetTagItem("lights3.store.operation")), Does.Contain("put").And.Contain("get"));
        Assert.That(spans.Spans.All(s => s.Kind == ActivityKind.Client && s.GetTagItem("lights3.store.kind") as string == "memory"));
        lock (measurements)
        {
            var requests = measurements.Where(m => m.Instrument == "lights3.store.requests").ToList();
            Assert.That(requests.Count(m => (string?)m.Tags["lights3.store.operation"] == "put" && (string?)m.Tags["lights3.store.outcome"] == "ok"), Is.EqualTo(2), "the create and the patch");
            Assert.That(measurements.Count(m => m.Instrument == "lights3.store.cas_conflicts"), Is.EqualTo(1));
            Assert.That(requests.Count(m => (string?)m.Tags["lights3.store.outcome"] == "precondition_failed"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Response_cache_lookups_are_counted_as_miss_then_hit()
    {
        var results = new List<string>();
        using var meters = new MeterListener { InstrumentPublished = (i, l) => { if (i.Meter.Name == LightS3Telemetry.Name && i.Name == "lights3.cache.lookups") l.EnableMeasurementEvents(i); } };
        meters.SetMeasurementEventCallback<long>((_, _, tags, _) => { lock (results) results.Add((string)tags.ToArray().Single(t => t.Key == "lights3.cache.result").Value!); });
        meters.Start();
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<CachedItem>("/cached"));
        var id = (await app.CreateAsync("/cached", new { name = "x" }))["id"]!.GetValue<string>();
        lock (results) results.Clear();
        await app.Client.GetAsync($"/cached/{id}");
        await app.Client.GetAsync($"/cached/{id}");
        lock (results) Assert.That(results, Is.EqualTo(new[] { "miss", "hit" }));
    }

    [Test]
    public async Task Index_hits_are_counted_as_accepted_or_rejected_when_verified_against_their_record()
    {
        var outcomes = new List<(string Outcome, long Count)>();
        using var meters = new MeterListener { InstrumentPublished = (i, l) => { if (i.Meter.Name == LightS3Telemetry.Name && i.Name == "lights3.index.verifications") l.EnableMeasurementEvents(i); } };
        meters.SetMeasurementEventCallback<long>((_, v, tags, _) =>
        {
            var t = tags.ToArray();
            if ((string?)t.Single(x => x.Key == "lights3.collection").Value == "products")
                lock (outcomes) outcomes.Add(((string)t.Single(x => x.Key == "lights3.index.outcome").Value!, v));
        });
        meters.Start();
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<ProductPages>("/products"));
        var news = (await app.CreateAsync("/products", new { title = "n", author = "a", category = "news", price = 1, published = true }))["id"]!.GetValue<string>();
        await app.CreateAsync("/products", new { title = "o", author = "a", category = "news", price = 2, published = true });
        Assert.That(await app.SendAsync(HttpMethod.Patch, $"/products/{news}", new { category = "sport", version = 1 }).StatusAsync(), Is.EqualTo(200));
        var entries = new List<string>();
        await foreach (var e in LightS3.Storage.ObjectListings.EnumerateAsync(app.ObjectStore, "products/index/category/")) entries.Add(e.Key);
        // a stale entry, as a lost race leaves: the record says "sport", an entry of a version that never committed says "news"
        var newsEncoded = entries.Single(k => !k.Contains(news, StringComparison.Ordinal) && k.Contains("/1", StringComparison.Ordinal)).Split('/')[3];
        await app.ObjectStore.PutAsync($"products/index/category/{newsEncoded}/{news}/3", "{\"v\":3}"u8.ToArray(), LightS3.Storage.WriteCondition.None);
        lock (outcomes) outcomes.Clear();

        var page = await (await app.Client.GetAsync("/products?category=news")).JsonAsync();
        Assert.That(page["results"]!.AsArray().Select(r => r!["title"]!.GetValue<string>()), Is.EqualTo(new[] { "o" }), "the stale entry is verified away");
        lock (outcomes)
        {
            Assert.That(outcomes.Where(o => o.Outcome == "accepted").Sum(o => o.Count), Is.EqualTo(1));
            Assert.That(outcomes.Where(o => o.Outcome == "rejected").Sum(o => o.Count), Is.EqualTo(1));
        }
    }
}
