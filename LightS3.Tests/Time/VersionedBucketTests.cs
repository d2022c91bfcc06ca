using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Storage;
using LightS3.Tests.Support;

namespace LightS3.Tests.Time;

/// <summary>
/// History on a Ceph RGW bucket with versioning enabled. RGW 16 does not enforce conditional PUTs there (every
/// <c>If-Match</c> is refused, <c>If-None-Match</c> is ignored), so LightS3 refuses to write (503) rather than lose
/// compare-and-swap; reading history from the bucket's versions works and is tested on versions written directly.
/// </summary>
[Category(External.Category)]
public sealed class VersionedBucketTests
{
    [Test]
    public async Task A_versioned_RGW_bucket_that_ignores_conditional_writes_is_detected_and_writes_answer_503_instead_of_losing_atomicity()
    {
        await using var app = await TimeStores.StartAsync(TimeStore.S3Versioned, a => a.Register<PageEndpoint>("/pages"));
        var s3 = app.ObjectStore.Find<S3ObjectStore>()!;
        Assert.That(await s3.IsVersioningEnabledAsync(), Is.True);
        Assert.That(await s3.ProbeConditionalWritesAsync(), Is.False, "RGW 16 accepts a second If-None-Match create (or refuses a correct If-Match)");
        var response = await app.PostAsync("/pages", new { title = "t", slug = "s" });
        Assert.That((int)response.StatusCode, Is.EqualTo(503), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task History_is_read_from_the_bucket_versions_each_mapped_by_its_own_version_field()
    {
        await using var app = await TimeStores.StartAsync(TimeStore.S3Versioned, a => a.Register<PageEndpoint>("/pages"));
        var id = RecordIds.New();
        var key = new CollectionLayout("pages").RecordKey(id);
        for (var v = 1; v <= 3; v++)
        {
            var body = new JsonObject
            {
                ["id"] = id, ["title"] = $"v{v}", ["slug"] = null, ["created_at"] = "2026-01-01T00:00:00.0000000Z",
                ["updated_at"] = $"2026-01-0{v}T00:00:00.0000000Z", ["version"] = v, ["created_by"] = "alice", ["updated_by"] = v == 1 ? "alice" : "bob",
            };
            await app.ObjectStore.PutAsync(key, RecordCodec.Encode(body), WriteCondition.None); // as LightS3 writes them where CAS works (AWS S3)
        }

        var before = app.Counter.Snapshot();
        var history = await (await app.Client.GetAsync($"/pages/{id}/_history")).JsonAsync();
        var cost = app.Counter.Snapshot().Minus(before);
        Assert.That(history["results"]!.AsArray().Select(e => e!["version"]!.GetValue<long>()), Is.EqualTo(new long[] { 3, 2, 1 }));
        Assert.That(history["results"]!.AsArray().Select(e => e!["actor"]!.GetValue<string>()), Is.EqualTo(new[] { "bob", "bob", "alice" }));
        Assert.That(cost[StoreOperation.List], Is.EqualTo(1), "one ListObjectVersions");
        Assert.That((await app.ObjectStore.ListAsync($"pages/history/{id}/", null, 10)).Entries, Is.Empty, "no snapshots: the bucket keeps the versions");

        var v1 = await (await app.Client.GetAsync($"/pages/{id}/_history/1")).JsonAsync();
        Assert.That(v1["title"]!.GetValue<string>(), Is.EqualTo("v1"));
        var warm = app.Counter.Snapshot();
        await app.Client.GetAsync($"/pages/{id}/_history");
        Assert.That(app.Counter.Snapshot().Minus(warm)[StoreOperation.Get], Is.EqualTo(1), "versions never change: a warm page reads only the current record");
    }
}
