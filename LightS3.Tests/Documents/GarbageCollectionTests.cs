using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Hosting;
using LightS3.Storage;
using LightS3.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Tests.Documents;

/// <summary>
/// Deletes leave tombstones and releases leave free markers; the collector removes them physically, safely, while
/// the API serves traffic.
/// </summary>
[TestFixture(TestStore.S3, Category = External.Category)]
[TestFixture(TestStore.File)]
[TestFixture(TestStore.Memory)]
public sealed class GarbageCollectionTests(TestStore store)
{
    private static readonly CollectionLayout Books = new("books");

    private readonly CapturingLoggerProvider _logs = new();

    private Task<TestApp> StartAsync(TimeSpan grace) =>
        TestApp.StartAsync(store, a => a.Register<BookEndpoint>("/books"), o =>
        {
            o.GarbageCollectionInterval = TimeSpan.Zero; // passes are run by the tests
            o.GarbageCollectionGrace = grace;
        }, configureServices: s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(_logs));

    [TearDown]
    public void ShowErrors()
    {
        foreach (var e in _logs.Entries.Where(e => e.Error is not null)) TestContext.Out.WriteLine($"{e.Message}: {e.Error}");
    }

    private static GarbageCollectionService Collector(TestApp app) => app.App.Services.GetRequiredService<GarbageCollectionService>();

    [Test]
    public async Task A_deleted_record_is_a_tombstone_until_collected_and_is_absent_from_reads_lists_and_counts_meanwhile()
    {
        await using var app = await StartAsync(TimeSpan.Zero);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++) ids.Add((await app.CreateAsync("/books", new { title = $"t{i}", author = "a" }))["id"]!.GetValue<string>());
        foreach (var id in ids.Take(2)) Assert.That(await app.SendAsync(HttpMethod.Delete, $"/books/{id}").StatusAsync(), Is.EqualTo(204));

        var tombstone = await app.ObjectStore.GetAsync(Books.RecordKey(ids[0]));
        Assert.That(tombstone is not null && Tombstones.Is(tombstone.Content.Span), "the delete wrote a tombstone, not a DELETE");
        Assert.That(await app.Client.GetAsync($"/books/{ids[0]}").StatusAsync(), Is.EqualTo(404));
        var list = await (await app.Client.GetAsync("/books")).JsonAsync();
        Assert.That(list["results"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()), Is.EqualTo(new[] { ids[2] }));
        Assert.That(await app.App.Query("/books").CountAsync(), Is.EqualTo(1));

        var report = await Collector(app).CollectOnceAsync();
        Assert.That(report.Tombstones, Is.EqualTo(2));
        Assert.That(await app.ObjectStore.GetAsync(Books.RecordKey(ids[0])), Is.Null, "collected");
        Assert.That(await app.Client.GetAsync($"/books/{ids[2]}").StatusAsync(), Is.EqualTo(200), "the live record is untouched");
        Assert.That((await Collector(app).CollectOnceAsync()).Tombstones, Is.Zero, "a second pass finds nothing");
    }

    [Test]
    public async Task Tombstones_younger_than_the_grace_period_are_kept()
    {
        await using var app = await StartAsync(TimeSpan.FromHours(1));
        var id = (await app.CreateAsync("/books", new { title = "t", author = "a" }))["id"]!.GetValue<string>();
        Assert.That(await app.SendAsync(HttpMethod.Delete, $"/books/{id}").StatusAsync(), Is.EqualTo(204));
        Assert.That((await Collector(app).CollectOnceAsync()).Tombstones, Is.Zero);
        Assert.That(await app.ObjectStore.GetAsync(Books.RecordKey(id)), Is.Not.Null);
    }

    [Test]
    public async Task A_released_unique_value_is_a_free_marker_that_can_be_claimed_again_and_is_collected_when_unused()
    {
        await using var app = await StartAsync(TimeSpan.Zero);
        var id = (await app.CreateAsync("/books", new { title = "t", author = "a", isbn = "9781000000001" }))["id"]!.GetValue<string>();
        var markerKey = Books.UniqueKey("isbn", "9781000000001");
        Assert.That(await app.SendAsync(HttpMethod.Delete, $"/books/{id}").StatusAsync(), Is.EqualTo(204));
        var marker = await app.ObjectStore.GetAsync(markerKey);
        Assert.That(RecordCodec.Decode(markerKey, marker!.Content)["free"]?.GetValue<bool>(), Is.True, "released by a PUT of the free state");

        // where DELETE is unconditional (Ceph RGW) free markers are never deleted: the delete could hit a fresh claim
        var deletable = store != TestStore.S3;
        Assert.That((await Collector(app).CollectOnceAsync()).MarkersDeleted, Is.EqualTo(deletable ? 1 : 0));
        Assert.That(await app.ObjectStore.GetAsync(markerKey), deletable ? Is.Null : Is.Not.Null);
        Assert.That(await app.PostAsync("/books", new { title = "again", author = "a", isbn = "9781000000001" }).StatusAsync(), Is.EqualTo(201));
        Assert.That(await app.PostAsync("/books", new { title = "twice", author = "a", isbn = "9781000000001" }).StatusAsync(), Is.EqualTo(409));
        Assert.That((await Collector(app).CollectOnceAsync()).MarkersDeleted, Is.Zero, "a claimed marker is never collected");
    }

    [Test]
    public async Task An_orphaned_marker_is_freed_and_then_collected()
    {
        await using var app = await StartAsync(TimeSpan.Zero);
        var key = Books.UniqueKey("isbn", "9781000000002");
        var owner = RecordIds.New();
        var orphan = new JsonObject { ["id"] = owner, ["field"] = "isbn", ["value"] = "9781000000002", ["version"] = 1, ["claimed_at"] = 0 };
        await app.ObjectStore.PutAsync(key, RecordCodec.Encode(orphan), WriteCondition.IfNoneMatch);
        var first = await Collector(app).CollectOnceAsync();
        Assert.That((first.MarkersFreed, first.MarkersDeleted), Is.EqualTo((1L, 0L)));
        // the owner's create may still be in flight (stalled, queued on the server): it is fenced before the value moves on
        var fence = await app.ObjectStore.GetAsync(Books.RecordKey(owner));
        Assert.That(fence is not null && Tombstones.Is(fence.Content.Span), "a tombstone at the owner's key");
        Assert.ThrowsAsync<PreconditionFailedException>(() => app.ObjectStore.PutAsync(Books.RecordKey(owner), "{\"id\":\"late\"}"u8.ToArray(), WriteCondition.IfNoneMatch),
            "the late create can never land");
        var deletable = store != TestStore.S3;
        Assert.That((await Collector(app).CollectOnceAsync()).MarkersDeleted, Is.EqualTo(deletable ? 1 : 0));
        Assert.That(await app.ObjectStore.GetAsync(key), deletable ? Is.Null : Is.Not.Null);
        Assert.That(await app.PostAsync("/books", new { title = "t", author = "a", isbn = "9781000000002" }).StatusAsync(), Is.EqualTo(201), "the value is free");
    }

    [Test]
    public async Task Two_collectors_running_nonstop_during_writes_never_drop_or_resurrect_a_record_and_never_double_a_unique_value()
    {
        await using var app = await StartAsync(TimeSpan.Zero); // the harshest setting: everything is collectable at once
        using var stop = new CancellationTokenSource();
        var passes = 0;
        // two collectors at once, as two instances would run them
        var collectors = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await Collector(app).CollectOnceAsync();
                Interlocked.Increment(ref passes);
            }
        })).ToList();
        var live = new ConcurrentDictionary<string, long>();
        var deleted = new ConcurrentBag<string>();
        var holders = new ConcurrentDictionary<string, string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 60), new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (i, _) =>
        {
            var isbn = $"97820000000{i % 10:D2}"; // ten values shared by sixty writers
            var created = await app.PostAsync("/books", new { title = $"t{i}", author = "a", isbn });
            if (created.StatusCode != HttpStatusCode.Created) return;
            var id = (await created.JsonAsync())["id"]!.GetValue<string>();
            Assert.That(holders.TryAdd(isbn, id), Is.True, $"{isbn} acknowledged to two records at once");
            var patched = await app.SendAsync(HttpMethod.Patch, $"/books/{id}", new { title = "p", version = 1 });
            Assert.That(patched.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            if (i % 2 == 0)
            {
                holders.TryRemove(isbn, out string? _); // released once the delete is underway
                Assert.That(await app.SendAsync(HttpMethod.Delete, $"/books/{id}").StatusAsync(), Is.EqualTo(204));
                deleted.Add(id);
            }
            else
            {
                live[id] = 2;
            }
        });
        await stop.CancelAsync();
        await Task.WhenAll(collectors);
        Assert.That(passes, Is.GreaterThan(0));
        foreach (var (id, version) in live)
            Assert.That((await (await app.Client.GetAsync($"/books/{id}")).JsonAsync())["version"]!.GetValue<long>(), Is.EqualTo(version));
        foreach (var id in deleted)
            Assert.That(await app.Client.GetAsync($"/books/{id}").StatusAsync(), Is.EqualTo(404));
        var stored = (await (await app.Client.GetAsync("/books")).JsonAsync())["results"]!.AsArray();
        Assert.That(stored.Select(r => r!["id"]!.GetValue<string>()), Is.EquivalentTo(live.Keys));
        Assert.That(stored.GroupBy(r => r!["isbn"]!.GetValue<string>()).Where(g => g.Count() > 1), Is.Empty);
    }
}

/// <summary>The file store's leftovers of crashed writes.</summary>
public sealed class FileStoreGarbageCollectionTests
{
    [Test]
    public async Task Temporary_files_of_crashed_writes_are_removed_once_older_than_the_grace_period()
    {
        await using var app = await TestApp.StartAsync(TestStore.File, a => a.Register<BookEndpoint>("/books"), o =>
        {
            o.GarbageCollectionInterval = TimeSpan.Zero;
            o.GarbageCollectionGrace = TimeSpan.FromMinutes(5);
        });
        var temp = Path.Combine(app.Location, ".tmp");
        var old = Path.Combine(temp, "crashed-write");
        var fresh = Path.Combine(temp, "write-in-flight");
        await File.WriteAllTextAsync(old, "{}");
        await File.WriteAllTextAsync(fresh, "{}");
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddHours(-1));
        var report = await app.App.Services.GetRequiredService<GarbageCollectionService>().CollectOnceAsync();
        Assert.That((report.TemporaryFiles, File.Exists(old), File.Exists(fresh)), Is.EqualTo((1L, false, true)));
    }
}
