using System.Text.Json.Nodes;
using LightS3.Query;
using LightS3.Tests.Support;

namespace LightS3.Tests.Querying;

/// <summary>
/// Filters and ordering on nested scalar paths (<c>address.city</c>), list membership (<c>tags__contains</c>,
/// <c>tags__overlaps</c>), and the nested and multi-entry indexes that serve them — C# and YAML, on every store.
/// </summary>
[TestFixture(TestStore.Memory, Front.CSharp)]
[TestFixture(TestStore.Memory, Front.Yaml)]
[TestFixture(TestStore.File, Front.CSharp)]
[TestFixture(TestStore.File, Front.Yaml)]
[TestFixture(TestStore.S3, Front.CSharp, Category = External.Category)]
[TestFixture(TestStore.S3, Front.Yaml, Category = External.Category)]
public sealed class NestedQueryTests(TestStore store, Front front)
{
    private TestApp _app = null!;

    [OneTimeSetUp]
    public async Task Seed()
    {
        _app = await TestApp.StartAsync(store, a => Orders.Register(a, front));
        await _app.CreateAsync("/orders", Orders.Body("ann", "Paris", "75001", ["python", "rust"], [("A-1", 2), ("B-2", 1)]));
        await _app.CreateAsync("/orders", Orders.Body("bob", "Lyon", "69002", ["python"], [("A-1", 1)]));
        await _app.CreateAsync("/orders", Orders.Body("cat", "Paris", "75011", ["go"], [("C-3", 5)]));
        await _app.CreateAsync("/orders", Orders.Body("dan", "Nice", null, [], [("B-2", 3), ("B-2", 4)]));
    }

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    private async Task<List<string>> Customers(string query)
    {
        var response = await _app.Client.GetAsync($"/orders?{query}");
        var body = await response.JsonAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body.ToJsonString());
        return body["results"]!.AsArray().Select(r => r!["customer"]!.GetValue<string>()).ToList();
    }

    private async Task<string> BadRequest(string query)
    {
        var response = await _app.Client.GetAsync($"/orders?{query}");
        var body = await response.JsonAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(400), body.ToJsonString());
        return body["detail"]!.GetValue<string>();
    }

    [Test]
    public async Task Filters_reach_nested_scalars_by_dotted_path()
    {
        Assert.That(await Customers("address.city=Paris"), Is.EqualTo(new[] { "ann", "cat" }));
        Assert.That(await Customers("address.zip__startswith=75"), Is.EqualTo(new[] { "ann", "cat" }));
        Assert.That(await Customers("address.zip__isnull=true"), Is.EqualTo(new[] { "dan" }));
        Assert.That(await Customers("address.city=Paris&address.zip__gt=75005"), Is.EqualTo(new[] { "cat" }));
        Assert.That(await Customers("search=lyo"), Is.EqualTo(new[] { "bob" }), "search reaches a nested field too");
    }

    [Test]
    public async Task Ordering_follows_a_nested_scalar_path()
    {
        Assert.That(await Customers("ordering=address.city"), Is.EqualTo(new[] { "bob", "dan", "ann", "cat" }));
        Assert.That(await Customers("ordering=-address.zip"), Is.EqualTo(new[] { "cat", "ann", "bob", "dan" }));
    }

    [Test]
    public async Task List_membership_contains_means_all_and_overlaps_means_any()
    {
        Assert.That(await Customers("tags__contains=python"), Is.EqualTo(new[] { "ann", "bob" }));
        Assert.That(await Customers("tags__contains=python&tags__contains=rust"), Is.EqualTo(new[] { "ann" }));
        Assert.That(await Customers("tags__contains=python,rust"), Is.EqualTo(new[] { "ann" }));
        Assert.That(await Customers("tags__overlaps=rust,go"), Is.EqualTo(new[] { "ann", "cat" }));
        Assert.That(await Customers("tags__contains=java"), Is.Empty);
    }

    [Test]
    public async Task Members_of_a_list_of_objects_filter_by_membership_across_its_elements()
    {
        Assert.That(await Customers("lines.sku__contains=A-1"), Is.EqualTo(new[] { "ann", "bob" }));
        Assert.That(await Customers("lines.sku__contains=A-1,B-2"), Is.EqualTo(new[] { "ann" }), "every value, each in any line");
        Assert.That(await Customers("lines.sku__overlaps=C-3,B-2"), Is.EqualTo(new[] { "ann", "cat", "dan" }));
        Assert.That(await Customers("lines.qty__contains=5"), Is.EqualTo(new[] { "cat" }), "an unindexed member scans");
        Assert.That(await Customers("lines.qty__overlaps=1,4"), Is.EqualTo(new[] { "ann", "bob", "dan" }));
        Assert.That(await Customers("lines.sku__contains=B-2&lines.qty__contains=1"), Is.EqualTo(new[] { "ann" }));
        Assert.That(await Customers("lines.sku__isnull=false"), Is.EqualTo(new[] { "ann", "bob", "cat", "dan" }));
        Assert.That(await Customers("lines.sku__isnull=true"), Is.Empty);
    }

    [Test]
    public async Task Keyset_pages_ordered_by_a_nested_path_continue_from_a_cursor()
    {
        var set = _app.Endpoint("/orders").Query().OrderBy("-address.city");
        var first = await set.PageAsync(null, 3);
        var cursor = Cursor.Of(first.Records[^1], set.Query.EffectiveOrdering, before: false);
        var second = await set.PageAsync(cursor, 3);
        string Customer(Record r) => r.Data["customer"]!.GetValue<string>();
        Assert.That(first.Records.Select(Customer).Concat(second.Records.Select(Customer)), Is.EqualTo(new[] { "ann", "cat", "dan", "bob" }));
        Assert.That((first.HasNext, second.HasNext), Is.EqualTo((true, false)));
    }

    [TestCase("tags=python", "is a list")]
    [TestCase("tags__startswith=py", "is a list")]
    [TestCase("customer__overlaps=a,b", "applies to lists only")]
    [TestCase("address=Paris", "is not a filter")]
    [TestCase("address.street=x", "is not a filter")]
    [TestCase("lines=x", "is not a filter")]
    [TestCase("lines.sku=A-1", "is a list")]
    [TestCase("lines.qty__contains=x", "must be an integer")]
    public async Task Misused_nested_and_list_filters_are_400s(string query, string detail) =>
        Assert.That(await BadRequest(query), Does.Contain(detail));

    [Test]
    public void Nested_and_list_filters_are_served_by_their_indexes()
    {
        var engine = _app.Endpoint("/orders").Engine;
        var set = _app.Endpoint("/orders").Query();
        var byZip = engine.Explain(set.Where("address.zip", FilterOperator.StartsWith, "75").Query);
        Assert.That((byZip.Kind, byZip.IndexField?.Name), Is.EqualTo((QueryPlanKind.IndexCandidates, "address.zip")));
        var byTag = engine.Explain(set.Where("tags", FilterOperator.Contains, "python").Query);
        Assert.That((byTag.Kind, byTag.IndexField?.Name, byTag.Exact), Is.EqualTo((QueryPlanKind.IndexStream, "tags", true)));
        var anyTag = engine.Explain(set.Where("tags", FilterOperator.Overlaps, new[] { "go", "rust" }).Query);
        Assert.That((anyTag.Kind, anyTag.Ranges!.Count), Is.EqualTo((QueryPlanKind.IndexCandidates, 2)));
        var bySku = engine.Explain(set.Where("lines.sku", FilterOperator.Contains, "A-1").Query);
        Assert.That((bySku.Kind, bySku.IndexField?.Name, bySku.Exact), Is.EqualTo((QueryPlanKind.IndexStream, "lines.sku", true)));
        var unindexed = engine.Explain(set.Where("address.city", FilterOperator.Eq, "Paris").Query);
        Assert.That(unindexed.Kind, Is.EqualTo(QueryPlanKind.Scan));
    }
}

/// <summary>Multi-entry and nested index entries are maintained on every write, and never lose an entry under races.</summary>
[TestFixture(TestStore.Memory)]
[TestFixture(TestStore.File)]
[TestFixture(TestStore.S3, Category = External.Category)]
public sealed class NestedIndexMaintenanceTests(TestStore store)
{
    private static async Task<List<string>> EntryKeys(TestApp app, string field) =>
        (await app.ObjectStore.ListAsync($"orders/index/{field}/", null, 100)).Entries.Select(e => e.Key).ToList();

    private static async Task<List<string>> Customers(TestApp app, string query) =>
        (await (await app.Client.GetAsync($"/orders?{query}")).JsonAsync())["results"]!.AsArray().Select(r => r!["customer"]!.GetValue<string>()).ToList();

    [Test]
    public async Task A_list_has_one_entry_per_distinct_item_and_updates_move_them()
    {
        await using var app = await TestApp.StartAsync(store, a => Orders.Register(a, Front.CSharp));
        var id = (await app.CreateAsync("/orders", Orders.Body(tags: ["python", "rust"])))["id"]!.GetValue<string>();
        Assert.That(await EntryKeys(app, "tags"), Has.Count.EqualTo(2));
        Assert.That(await EntryKeys(app, "address.zip"), Has.Count.EqualTo(1));

        var patched = await app.SendAsync(HttpMethod.Patch, $"/orders/{id}", new { tags = new[] { "rust", "go", "zig" }, address = new { zip = "13001" }, version = 1 });
        Assert.That((int)patched.StatusCode, Is.EqualTo(200), await patched.Content.ReadAsStringAsync());
        var tagEntries = await EntryKeys(app, "tags");
        Assert.That(tagEntries, Has.Count.EqualTo(3).And.All.EndsWith($"/{id}/2"), "only the live version's entries remain");
        Assert.That(await Customers(app, "tags__contains=python"), Is.Empty);
        Assert.That(await Customers(app, "tags__contains=zig"), Is.EqualTo(new[] { "ann" }));
        Assert.That(await Customers(app, "address.zip__startswith=13"), Is.EqualTo(new[] { "ann" }));
        Assert.That(await Customers(app, "address.zip__startswith=75"), Is.Empty);

        Assert.That(await app.SendAsync(HttpMethod.Patch, $"/orders/{id}", new { tags = Array.Empty<string>(), version = 2 }).StatusAsync(), Is.EqualTo(200));
        Assert.That(await EntryKeys(app, "tags"), Is.Empty, "an empty list has no entries");
        Assert.That(await app.SendAsync(HttpMethod.Delete, $"/orders/{id}").StatusAsync(), Is.EqualTo(204));
        Assert.That((await app.ObjectStore.ListAsync("orders/index/", null, 100)).Entries, Is.Empty);
    }

    [Test]
    public async Task A_member_of_a_list_of_objects_has_one_entry_per_distinct_value_and_updates_move_them()
    {
        await using var app = await TestApp.StartAsync(store, a => Orders.Register(a, Front.CSharp));
        var id = (await app.CreateAsync("/orders", Orders.Body(lines: [("A-1", 1), ("B-2", 2), ("A-1", 3)])))["id"]!.GetValue<string>();
        Assert.That(await EntryKeys(app, "lines.sku"), Has.Count.EqualTo(2), "A-1 twice is one entry");
        Assert.That(await Customers(app, "lines.sku__contains=B-2"), Is.EqualTo(new[] { "ann" }));

        var patched = await app.SendAsync(HttpMethod.Patch, $"/orders/{id}", new { lines = new[] { new { sku = "C-3", qty = 1 } }, version = 1 });
        Assert.That((int)patched.StatusCode, Is.EqualTo(200), await patched.Content.ReadAsStringAsync());
        Assert.That(await EntryKeys(app, "lines.sku"), Has.Count.EqualTo(1).And.All.EndsWith($"/{id}/2"), "the list is replaced whole, and so are its entries");
        Assert.That(await Customers(app, "lines.sku__contains=A-1"), Is.Empty);
        Assert.That(await Customers(app, "lines.sku__overlaps=A-1,C-3"), Is.EqualTo(new[] { "ann" }));
    }

    [Test]
    public async Task Writes_cost_one_put_per_entry_and_one_delete_per_dead_entry()
    {
        await using var app = await TestApp.StartAsync(store, a => Orders.Register(a, Front.CSharp));
        var before = app.Counter.Snapshot();
        var id = (await app.CreateAsync("/orders", Orders.Body(tags: ["a", "b"])))["id"]!.GetValue<string>();
        var create = app.Counter.Snapshot().Minus(before);
        Assert.That(create[LightS3.Storage.StoreOperation.Put], Is.EqualTo(5), "record + 2 tag entries + 1 zip entry + 1 line sku entry: " + create);

        before = app.Counter.Snapshot();
        Assert.That(await app.SendAsync(HttpMethod.Patch, $"/orders/{id}", new { tags = new[] { "b", "c", "d" }, version = 1 }).StatusAsync(), Is.EqualTo(200));
        var update = app.Counter.Snapshot().Minus(before);
        Assert.That((update[LightS3.Storage.StoreOperation.Get], update[LightS3.Storage.StoreOperation.Put], update[LightS3.Storage.StoreOperation.Delete]), Is.EqualTo((1L, 6L, 4L)),
            "1 GET, record + 5 entries of version 2, the 4 entries of version 1 removed: " + update);
    }

    [Test]
    public async Task A_rebuild_writes_missing_list_and_nested_entries()
    {
        await using var app = await TestApp.StartAsync(store, a => Orders.Register(a, Front.CSharp), o => o.UniqueClaimGrace = TimeSpan.Zero);
        await app.CreateAsync("/orders", Orders.Body(tags: ["python", "rust"]));
        foreach (var entry in (await app.ObjectStore.ListAsync("orders/index/", null, 100)).Entries)
            await app.ObjectStore.DeleteObservedAsync(entry.Key, "*", CancellationToken.None);
        Assert.That(await Customers(app, "tags__contains=rust"), Is.Empty, "without entries the index finds nothing");

        var report = await app.App.RebuildIndexesAsync("/orders");
        Assert.That((report.EntriesWritten, report.EntriesRemoved), Is.EqualTo((4L, 0L)), "two tag entries, one zip entry and one line sku entry");
        Assert.That(await Customers(app, "lines.sku__contains=A-1"), Is.EqualTo(new[] { "ann" }));
        Assert.That(await Customers(app, "tags__contains=rust"), Is.EqualTo(new[] { "ann" }));
        Assert.That(await Customers(app, "address.zip=75001"), Is.EqualTo(new[] { "ann" }));
    }

    [Test]
    public async Task Concurrent_list_updates_never_lose_an_entry_the_committed_record_needs()
    {
        await using var app = await TestApp.StartAsync(store, a => Orders.Register(a, Front.CSharp));
        var id = (await app.CreateAsync("/orders", Orders.Body("flip", tags: ["a"])))["id"]!.GetValue<string>();
        for (var round = 0; round < 8; round++)
        {
            var version = (await (await app.Client.GetAsync($"/orders/{id}")).JsonAsync())["version"]!.GetValue<long>();
            // racers flip the tags between two sets sharing "shared" from the same version; exactly one wins
            await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
                app.SendAsync(HttpMethod.Patch, $"/orders/{id}", new { tags = i % 2 == 0 ? new[] { "shared", "even" } : ["shared", "odd"], version })));
            var tags = (await (await app.Client.GetAsync($"/orders/{id}")).JsonAsync())["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
            foreach (var tag in tags)
                Assert.That(await Customers(app, $"tags__contains={tag}"), Is.EqualTo(new[] { "flip" }), $"round {round}: found under its committed tag {tag}");
            var other = tags.Contains("even") ? "odd" : "even";
            Assert.That(await Customers(app, $"tags__contains={other}"), Is.Empty, $"round {round}: the losing value is not served");
        }
    }
}

/// <summary>
/// S3 requests of nested and multi-entry index queries on 400 orders in real S3 (Ceph RGW), from a cold reader: bounded
/// by the matches, never by the collection (a scan would cost 400 GETs).
/// </summary>
[Category(External.Category)]
public sealed class NestedQueryRequestCountTests
{
    private const int N = 400;
    private string _location = "";
    private TestApp _writer = null!;

    [OneTimeSetUp]
    public async Task Seed()
    {
        _location = TestStores.NewLocation(TestStore.S3);
        _writer = await TestApp.StartAsync(TestStore.S3, a => Orders.Register(a, Front.CSharp), location: _location);
        await _writer.SeedAsync("/orders", Enumerable.Range(0, N).Select(i => Orders.Body($"c{i}", "Paris", $"750{i % 20:D2}", [$"t{i % 20:D2}", $"u{i % 7}"])), parallelism: 32);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _writer.DisposeAsync();

    private async Task<(LightS3.Storage.RequestCounts Counts, JsonObject Body)> Measure(string url)
    {
        await using var reader = await TestApp.StartAsync(TestStore.S3, a => Orders.Register(a, Front.CSharp), location: _location);
        var before = reader.Counter.Snapshot();
        var response = await reader.Client.GetAsync(url);
        var body = await response.JsonAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body.ToJsonString());
        return (reader.Counter.Snapshot().Minus(before), body);
    }

    [Test]
    public async Task List_membership_on_a_multi_entry_index_is_one_list_and_a_page_of_gets()
    {
        var (counts, body) = await Measure("/orders?tags__contains=t07");
        Assert.That((body["count"]!.GetValue<long>(), body["results"]!.AsArray().Count), Is.EqualTo((20L, 10)));
        Assert.That((counts[LightS3.Storage.StoreOperation.List], counts[LightS3.Storage.StoreOperation.Get]), Is.EqualTo((1L, 10L)), counts.ToString());
    }

    [Test]
    public async Task A_nested_path_equality_on_its_index_is_one_list_and_a_page_of_gets()
    {
        var (counts, body) = await Measure("/orders?address.zip=75003");
        Assert.That(body["count"]!.GetValue<long>(), Is.EqualTo(20L));
        Assert.That((counts[LightS3.Storage.StoreOperation.List], counts[LightS3.Storage.StoreOperation.Get]), Is.EqualTo((1L, 10L)), counts.ToString());
    }

    [Test]
    public async Task Overlaps_lists_each_value_and_reads_only_the_candidates()
    {
        var (counts, body) = await Measure("/orders?tags__overlaps=t01,t02");
        Assert.That(body["count"]!.GetValue<long>(), Is.EqualTo(40L));
        Assert.That((counts[LightS3.Storage.StoreOperation.List], counts[LightS3.Storage.StoreOperation.Get]), Is.EqualTo((2L, 40L)), counts.ToString());
    }
}
