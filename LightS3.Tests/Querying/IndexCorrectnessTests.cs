using System.Text;
using LightS3.Documents;
using LightS3.Query;
using LightS3.Storage;
using LightS3.Tests.Support;

namespace LightS3.Tests.Querying;

/// <summary>Index entries only ever narrow what is read: crashes and stale entries never produce a wrong result.</summary>
[TestFixture(TestStore.Memory)]
[TestFixture(TestStore.File)]
[TestFixture(TestStore.Embedded)]
[TestFixture(TestStore.S3, Category = External.Category)]
public sealed class IndexCorrectnessTests(TestStore store)
{
    internal static async Task<List<string>> Titles(TestApp app, string query)
    {
        var body = await (await app.Client.GetAsync($"/products?page_size=50&{query}")).JsonAsync();
        return body["results"]!.AsArray().Select(r => r!["title"]!.GetValue<string>()).ToList();
    }

    private static object Product(string title, string category, decimal price) => new { title, author = "a", category, price, published = true };

    [Test]
    public async Task A_crash_between_index_write_and_record_write_never_shows_a_phantom()
    {
        FaultyStore? faulty = null;
        await using var app = await TestApp.StartAsync(store, a => a.Register<ProductPages>("/products"),
            o => o.UniqueClaimGrace = TimeSpan.Zero, wrapStore: s => faulty = new FaultyStore(s));
        await app.CreateAsync("/products", Product("real", "news", 1));

        // the create writes its index entries, then "crashes" on the record write, and its cleanup never runs
        faulty!.FailPutsTo = key => key.Contains("/records/");
        faulty.Crashed = true;
        Assert.That(await app.PostAsync("/products", Product("phantom", "news", 2)).StatusAsync(), Is.EqualTo(503));
        faulty.FailPutsTo = null;
        faulty.Crashed = false;
        var entries = await app.ObjectStore.ListAsync("products/index/category/", null, 100);
        Assert.That(entries.Entries, Has.Count.EqualTo(2), "the crash left a stale entry behind");

        Assert.That(await Titles(app, "category=news"), Is.EqualTo(new[] { "real" }));
        Assert.That(await Titles(app, "price__gte=0&ordering=price"), Is.EqualTo(new[] { "real" }));
        var page = await (await app.Client.GetAsync("/products?category=news")).JsonAsync();
        Assert.That(page["results"]!.AsArray(), Has.Count.EqualTo(1));

        var report = await app.App.RebuildIndexesAsync("/products");
        Assert.That(report.EntriesRemoved, Is.EqualTo(4), "the phantom's category, price, stock and tag entries are collected");
        Assert.That((await app.ObjectStore.ListAsync("products/index/category/", null, 100)).Entries, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_crash_after_an_update_wrote_its_entries_keeps_answering_from_the_committed_version()
    {
        FaultyStore? faulty = null;
        await using var app = await TestApp.StartAsync(store, a => a.Register<ProductPages>("/products"), wrapStore: s => faulty = new FaultyStore(s));
        var id = (await app.CreateAsync("/products", Product("book", "news", 5)))["id"]!.GetValue<string>();

        faulty!.FailPutsTo = key => key.Contains("/records/");
        faulty.Crashed = true;
        Assert.That(await app.SendAsync(HttpMethod.Patch, $"/products/{id}", new { category = "tech", price = 50, version = 1 }).StatusAsync(), Is.EqualTo(503));
        faulty.FailPutsTo = null;
        faulty.Crashed = false;

        Assert.That(await Titles(app, "category=tech"), Is.Empty, "the uncommitted value is not served");
        Assert.That(await Titles(app, "category=news"), Is.EqualTo(new[] { "book" }), "the committed value is still found");
        Assert.That(await Titles(app, "price__gt=10"), Is.Empty);
        Assert.That(await Titles(app, "ordering=price"), Is.EqualTo(new[] { "book" }), "no duplicate from the stale entry");
    }

    [Test]
    public async Task Stale_and_foreign_entries_are_verified_away()
    {
        await using var app = await TestApp.StartAsync(store, a => a.Register<ProductPages>("/products"));
        var id = (await app.CreateAsync("/products", Product("moved", "food", 3)))["id"]!.GetValue<string>();
        var model = app.Endpoint("/products").Model;
        var layout = new IndexLayout("products");
        // an entry claiming the record is "news" (it is "food"), and one for a record that never existed
        await app.ObjectStore.PutAsync(layout.EntryKey(model.Field("category")!, System.Text.Json.Nodes.JsonValue.Create("news"), id, 1), Encoding.UTF8.GetBytes("{}"), WriteCondition.None);
        await app.ObjectStore.PutAsync(layout.EntryKey(model.Field("category")!, System.Text.Json.Nodes.JsonValue.Create("news"), RecordIds.New(), 1), Encoding.UTF8.GetBytes("{}"), WriteCondition.None);
        Assert.That(await Titles(app, "category=news"), Is.Empty);
        Assert.That(await Titles(app, "category=food"), Is.EqualTo(new[] { "moved" }));
        Assert.That(await Titles(app, "ordering=category"), Is.EqualTo(new[] { "moved" }));
    }

    [Test]
    public async Task Updates_move_entries_and_deletes_remove_them()
    {
        await using var app = await TestApp.StartAsync(store, a => a.Register<ProductPages>("/products"));
        var id = (await app.CreateAsync("/products", Product("p", "news", 1)))["id"]!.GetValue<string>();
        await app.SendAsync(HttpMethod.Patch, $"/products/{id}", new { category = "tech", version = 1 });
        Assert.That(await Titles(app, "category=tech"), Is.EqualTo(new[] { "p" }));
        Assert.That(await Titles(app, "category=news"), Is.Empty);
        var categoryEntries = (await app.ObjectStore.ListAsync("products/index/category/", null, 100)).Entries;
        Assert.That(categoryEntries.Select(e => e.Key), Has.All.EndsWith($"/{id}/2"), "only the live version's entry remains");
        await app.SendAsync(HttpMethod.Delete, $"/products/{id}");
        Assert.That((await app.ObjectStore.ListAsync("products/index/", null, 100)).Entries, Is.Empty);
    }

    [Test]
    public async Task Concurrent_updates_never_lose_an_entry_the_committed_record_needs()
    {
        await using var app = await TestApp.StartAsync(store, a => a.Register<ProductPages>("/products"));
        var id = (await app.CreateAsync("/products", Product("flip", "news", 1)))["id"]!.GetValue<string>();
        for (var round = 0; round < 8; round++)
        {
            var current = await (await app.Client.GetAsync($"/products/{id}")).JsonAsync();
            var version = current["version"]!.GetValue<long>();
            // racers flip the category back and forth from the same version; exactly one wins
            await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
                app.SendAsync(HttpMethod.Patch, $"/products/{id}", new { category = i % 2 == 0 ? "news" : "tech", version })));
            var category = (await (await app.Client.GetAsync($"/products/{id}")).JsonAsync())["category"]!.GetValue<string>();
            Assert.That(await Titles(app, $"category={category}"), Is.EqualTo(new[] { "flip" }), $"round {round}: found under its committed category");
        }
    }

    internal sealed class SyncProgress(Action<IndexRebuildProgress> report) : IProgress<IndexRebuildProgress>
    {
        public void Report(IndexRebuildProgress value)
        {
            lock (this) report(value);
        }
    }
}

/// <summary>Rebuilding indexes over records two app instances share (memory cannot be shared, so only the stores that can be).</summary>
[TestFixture(TestStore.File)]
[TestFixture(TestStore.Embedded)]
[TestFixture(TestStore.S3, Category = External.Category)]
public sealed class IndexRebuildTests(TestStore store)
{
    [Test]
    public async Task A_rebuild_indexes_records_written_before_the_field_was_indexed()
    {
        var location = TestStores.NewLocation(store);
        var kind = store;
        try
        {
            await using (var before = await TestApp.StartAsync(kind, a => a.Register<UnindexedProduct>("/products"), location: location))
                await before.SeedAsync("/products", SeedProduct.Make(40).Select(s => s.Body));

            await using var after = await TestApp.StartAsync(kind, a => a.Register<ProductPages>("/products"), location: location);
            Assert.That(await IndexCorrectnessTests.Titles(after, "category=news"), Is.Empty, "no entries yet: the index cannot find old records");

            var progress = new List<IndexRebuildProgress>();
            var report = await after.App.RebuildIndexesAsync("/products", new IndexCorrectnessTests.SyncProgress(progress.Add));
            Assert.That(report.Records, Is.EqualTo(40));
            Assert.That(report.EntriesWritten, Is.EqualTo(160), "4 indexed fields x 40 records");
            Assert.That(progress.Last(p => p.Phase == "records").Processed, Is.EqualTo(40));
            // seeded in parallel: creation order is not seed order, so compare the set found
            Assert.That(await IndexCorrectnessTests.Titles(after, "category=news"), Is.EquivalentTo(SeedProduct.Make(40).Where(s => s.Category == "news").Select(s => s.Title)));

            var again = await after.App.RebuildIndexesAsync("/products");
            Assert.That((again.EntriesWritten, again.EntriesRemoved), Is.EqualTo((0L, 0L)), "a second rebuild has nothing to do");
        }
        finally
        {
            if (TestStores.UsesDirectory(kind)) TestStores.TryDelete(location);
        }
    }
}
