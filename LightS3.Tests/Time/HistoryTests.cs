using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Hosting;
using LightS3.Storage;
using LightS3.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Tests.Time;

/// <summary>Version history and restore, with snapshots (memory, file, RGW without versioning) or RGW bucket versioning.</summary>
[TestFixture(TimeStore.MemoryVersioned)]
[TestFixture(TimeStore.S3, Category = External.Category)]
[TestFixture(TimeStore.File)]
[TestFixture(TimeStore.Memory)]
public sealed class HistoryTests(TimeStore store)
{
    private Task<TestApp> StartAsync() =>
        TimeStores.StartAsync(store, a => a.Register<PageEndpoint>("/pages").Register<PlainEndpoint>("/plain").Register<DiaryEndpoint>("/diary"));

    private static string IdOf(JsonObject o) => o["id"]!.GetValue<string>();

    private static async Task<JsonObject> OkAsync(Task<HttpResponseMessage> request)
    {
        var response = await request;
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    private static List<long> Versions(JsonObject page) => page["results"]!.AsArray().Select(e => e!["version"]!.GetValue<long>()).ToList();

    /// <summary>Creates a page as alice and patches it <paramref name="patches"/> times as bob; returns its id.</summary>
    private static async Task<string> WriteVersionsAsync(TestApp app, int patches)
    {
        var created = await app.AsAsync("alice", HttpMethod.Post, "/pages", new { title = "v1" });
        Assert.That((int)created.StatusCode, Is.EqualTo(201));
        var id = IdOf(await created.JsonAsync());
        for (var v = 1; v <= patches; v++)
            Assert.That(await app.AsAsync("bob", HttpMethod.Patch, $"/pages/{id}", new { title = $"v{v + 1}", version = v }).StatusAsync(), Is.EqualTo(200));
        return id;
    }

    [Test]
    public async Task History_lists_versions_newest_first_with_actor_and_operation_and_pages_with_next()
    {
        await using var app = await StartAsync();
        var id = await WriteVersionsAsync(app, 2);
        var history = await OkAsync(app.Client.GetAsync($"/pages/{id}/_history"));
        var entries = history["results"]!.AsArray();
        Assert.That(Versions(history), Is.EqualTo(new long[] { 3, 2, 1 }));
        Assert.That(entries.Select(e => e!["operation"]!.GetValue<string>()), Is.EqualTo(new[] { "update", "update", "create" }));
        Assert.That(entries.Select(e => e!["actor"]?.GetValue<string>()), Is.EqualTo(new[] { "bob", "bob", "alice" }));
        Assert.That(entries.All(e => e!["updated_at"] is not null));
        Assert.That(history["next"], Is.Null);

        var first = await OkAsync(app.Client.GetAsync($"/pages/{id}/_history?limit=2"));
        Assert.That(Versions(first), Is.EqualTo(new long[] { 3, 2 }));
        var next = first["next"]!.GetValue<string>();
        var second = await OkAsync(app.Client.GetAsync(next));
        Assert.That(Versions(second), Is.EqualTo(new long[] { 1 }));
        Assert.That(second["next"], Is.Null);
        Assert.That(await app.Client.GetAsync($"/pages/{id}/_history?limit=abc").StatusAsync(), Is.EqualTo(400));
        Assert.That(await app.Client.GetAsync($"/pages/{Guid.NewGuid()}/_history").StatusAsync(), Is.EqualTo(404));
    }

    [Test]
    public async Task A_version_body_is_served_and_restoring_it_writes_a_new_version_by_compare_and_swap()
    {
        await using var app = await StartAsync();
        var id = await WriteVersionsAsync(app, 2);
        var v1 = await OkAsync(app.Client.GetAsync($"/pages/{id}/_history/1"));
        Assert.That(v1["title"]!.GetValue<string>(), Is.EqualTo("v1"));
        Assert.That(v1["version"]!.GetValue<long>(), Is.EqualTo(1));
        Assert.That(await app.Client.GetAsync($"/pages/{id}/_history/9").StatusAsync(), Is.EqualTo(404));
        Assert.That(await app.Client.GetAsync($"/pages/{id}/_history/x").StatusAsync(), Is.EqualTo(404));

        var current = await app.Client.GetAsync($"/pages/{id}");
        var etag = current.Headers.ETag!.ToString();
        Assert.That(await app.AsAsync("bob", HttpMethod.Patch, $"/pages/{id}", new { title = "v4", version = 3 }).StatusAsync(), Is.EqualTo(200));
        Assert.That(await app.AsAsync("carol", HttpMethod.Post, $"/pages/{id}/_restore?version=1", ifMatch: etag).StatusAsync(), Is.EqualTo(409), "stale If-Match");

        var restored = await OkAsync(app.AsAsync("carol", HttpMethod.Post, $"/pages/{id}/_restore?version=1"));
        Assert.That(restored["version"]!.GetValue<long>(), Is.EqualTo(5));
        Assert.That(restored["title"]!.GetValue<string>(), Is.EqualTo("v1"));
        Assert.That(restored["restored_from"]!.GetValue<long>(), Is.EqualTo(1));
        var top = (await OkAsync(app.Client.GetAsync($"/pages/{id}/_history?limit=1")))["results"]![0]!;
        Assert.That(top["operation"]!.GetValue<string>(), Is.EqualTo("restore"));
        Assert.That(top["actor"]!.GetValue<string>(), Is.EqualTo("carol"));
        Assert.That(await app.Client.PostAsync($"/pages/{id}/_restore?version=0", null).StatusAsync(), Is.EqualTo(400));
    }

    [Test]
    public async Task Restoring_a_version_whose_unique_value_is_now_taken_is_a_conflict()
    {
        await using var app = await StartAsync();
        var a = IdOf(await app.CreateAsync("/pages", new { title = "a", slug = "s1" }));
        Assert.That(await app.SendAsync(HttpMethod.Patch, $"/pages/{a}", new { slug = "s2", version = 1 }).StatusAsync(), Is.EqualTo(200));
        await app.CreateAsync("/pages", new { title = "b", slug = "s1" });
        Assert.That(await app.Client.PostAsync($"/pages/{a}/_restore?version=1", null).StatusAsync(), Is.EqualTo(409));
        Assert.That((await app.Client.GetAsync($"/pages/{a}").JsonAsync())["slug"]!.GetValue<string>(), Is.EqualTo("s2"));
    }

    [Test]
    public async Task A_soft_delete_and_its_restore_are_versions_in_the_history()
    {
        await using var app = await StartAsync();
        var id = await WriteVersionsAsync(app, 1);
        Assert.That(await app.AsAsync("bob", HttpMethod.Delete, $"/pages/{id}").StatusAsync(), Is.EqualTo(204));
        Assert.That(await app.Client.GetAsync($"/pages/{id}/_history").StatusAsync(), Is.EqualTo(404), "hidden from non-admins");
        var asAdmin = await OkAsync(app.AsAsync("root", HttpMethod.Get, $"/pages/{id}/_history", admin: true));
        Assert.That(asAdmin["results"]![0]!["operation"]!.GetValue<string>(), Is.EqualTo("delete"));
        Assert.That(await app.AsAsync("root", HttpMethod.Post, $"/pages/{id}/_restore", admin: true).StatusAsync(), Is.EqualTo(200));
        var history = await OkAsync(app.Client.GetAsync($"/pages/{id}/_history"));
        Assert.That(history["results"]!.AsArray().Select(e => e!["operation"]!.GetValue<string>()), Is.EqualTo(new[] { "restore", "delete", "update", "create" }));
        var restored = await app.Client.GetAsync($"/pages/{id}").JsonAsync();
        Assert.That(restored["restored_from"]!.GetValue<long>(), Is.EqualTo(2), "the version before the delete");
    }

    [Test]
    public async Task History_keeps_the_newest_versions_only()
    {
        await using var app = await StartAsync();
        var id = await WriteVersionsAsync(app, 6); // versions 1..7, Keep = 5
        Assert.That(Versions(await OkAsync(app.Client.GetAsync($"/pages/{id}/_history"))), Is.EqualTo(new long[] { 7, 6, 5, 4, 3 }));
        Assert.That(await app.Client.GetAsync($"/pages/{id}/_history/2").StatusAsync(), Is.EqualTo(404));
        Assert.That(await app.Client.GetAsync($"/pages/{id}/_history/3").StatusAsync(), Is.EqualTo(200));
        if (store is TimeStore.MemoryVersioned) return; // old bucket versions are the lifecycle rule's to expire
        await app.App.Services.GetRequiredService<GarbageCollectionService>().CollectOnceAsync();
        var snapshots = await app.ObjectStore.ListAsync($"pages/history/{id}/", null, 100);
        Assert.That(snapshots.Entries, Has.Count.EqualTo(4), "snapshots of versions 3..6 remain (7 is the record)");
    }

    [Test]
    public async Task History_follows_the_read_permission_object_level_included()
    {
        await using var app = await StartAsync();
        var created = await app.AsAsync("alice", HttpMethod.Post, "/diary", new { text = "dear diary" });
        Assert.That((int)created.StatusCode, Is.EqualTo(201));
        var id = IdOf(await created.JsonAsync());
        Assert.That(await app.AsAsync("alice", HttpMethod.Patch, $"/diary/{id}", new { text = "edited", version = 1 }).StatusAsync(), Is.EqualTo(200));
        Assert.That(await app.AsAsync(null, HttpMethod.Get, $"/diary/{id}/_history").StatusAsync(), Is.EqualTo(401));
        Assert.That(await app.AsAsync("mallory", HttpMethod.Get, $"/diary/{id}/_history").StatusAsync(), Is.EqualTo(403));
        Assert.That(await app.AsAsync("mallory", HttpMethod.Get, $"/diary/{id}/_history/1").StatusAsync(), Is.EqualTo(403));
        Assert.That(await app.AsAsync("mallory", HttpMethod.Post, $"/diary/{id}/_restore?version=1").StatusAsync(), Is.EqualTo(403));
        Assert.That(Versions(await OkAsync(app.AsAsync("alice", HttpMethod.Get, $"/diary/{id}/_history"))), Is.EqualTo(new long[] { 2, 1 }));
        Assert.That((await OkAsync(app.AsAsync("alice", HttpMethod.Get, $"/diary/{id}/_history/1")))["text"]!.GetValue<string>(), Is.EqualTo("dear diary"));
    }

    [Test]
    public async Task A_write_costs_one_extra_put_with_snapshots_and_none_with_bucket_versioning()
    {
        await using var app = await StartAsync();
        var page = IdOf(await app.CreateAsync("/pages", new { title = "a" }));
        var plain = IdOf(await app.CreateAsync("/plain", new { title = "a" }));
        await app.Client.GetAsync($"/pages/{page}/_history"); // the bucket's versioning status is asked once per store

        async Task<RequestCounts> PatchAsync(string route, string id, long version)
        {
            var before = app.Counter.Snapshot();
            Assert.That(await app.SendAsync(HttpMethod.Patch, $"{route}/{id}", new { title = $"t{version}", version }).StatusAsync(), Is.EqualTo(200));
            return app.Counter.Snapshot().Minus(before);
        }
        var baseline = await PatchAsync("/plain", plain, 1);
        var withHistory = await PatchAsync("/pages", page, 1);
        TestContext.Out.WriteLine($"{store}: plain PATCH {baseline}; history PATCH {withHistory}");
        var extraPuts = store == TimeStore.MemoryVersioned ? 0 : 1;
        Assert.That(withHistory[StoreOperation.Put], Is.EqualTo(baseline[StoreOperation.Put] + extraPuts));
        Assert.That(withHistory.Total, Is.EqualTo(baseline.Total + extraPuts), "nothing else");

        var createBefore = app.Counter.Snapshot();
        await app.CreateAsync("/pages", new { title = "b" });
        Assert.That(app.Counter.Snapshot().Minus(createBefore)[StoreOperation.Put], Is.EqualTo(1), "a create has no earlier version to keep");
    }

    [Test]
    public async Task A_write_that_loses_its_race_or_crashes_after_the_snapshot_adds_no_version()
    {
        await using var app = await StartAsync();
        var id = await WriteVersionsAsync(app, 1); // versions 1, 2
        // twenty writers on version 2: one wins; the losers may have stored a snapshot of version 2 before losing
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => app.SendAsync(HttpMethod.Patch, $"/pages/{id}", new { title = $"racer{i}", version = 2 }).StatusAsync()));
        Assert.That(results.Count(s => s == 200), Is.EqualTo(1));
        // a writer that crashed between its snapshot and its record write: a snapshot of the current version
        var records = app.Endpoint("/pages").Repository;
        var current = (await records.GetAsync(id))!;
        if (records.History!.SnapshotKey(id, current.Version) is var key && store != TimeStore.MemoryVersioned)
            await app.ObjectStore.PutAsync(key, current.ToUtf8(), WriteCondition.None);

        var history = await OkAsync(app.Client.GetAsync($"/pages/{id}/_history"));
        Assert.That(Versions(history), Is.EqualTo(new long[] { 3, 2, 1 }), "each version once; none that did not happen");
        var winner = (await app.Client.GetAsync($"/pages/{id}").JsonAsync())["title"]!.GetValue<string>();
        Assert.That((await OkAsync(app.Client.GetAsync($"/pages/{id}/_history/3")))["title"]!.GetValue<string>(), Is.EqualTo(winner));
        Assert.That((await OkAsync(app.Client.GetAsync($"/pages/{id}/_history/2")))["title"]!.GetValue<string>(), Is.EqualTo("v2"));
    }

    [Test]
    public async Task A_purge_removes_the_history()
    {
        await using var app = await StartAsync();
        var id = await WriteVersionsAsync(app, 2);
        Assert.That(await app.AsAsync("root", HttpMethod.Delete, $"/pages/{id}?purge=true", admin: true).StatusAsync(), Is.EqualTo(204));
        Assert.That(await app.AsAsync("root", HttpMethod.Get, $"/pages/{id}/_history", admin: true).StatusAsync(), Is.EqualTo(404));
        Assert.That((await app.ObjectStore.ListAsync($"pages/history/{id}/", null, 100)).Entries, Is.Empty);
        if (store == TimeStore.MemoryVersioned)
        {
            var versions = await app.ObjectStore.Find<IVersionedObjectStore>()!.ListVersionsAsync(new CollectionLayout("pages").RecordKey(id));
            Assert.That(versions, Has.Count.EqualTo(1), "only the tombstone is left");
        }
    }
}
