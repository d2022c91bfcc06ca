using LightS3.Query;
using LightS3.Storage;
using LightS3.Tests.Support;

namespace LightS3.Tests.Querying;

/// <summary>
/// S3 requests per query on a 2,500-record collection in real S3 (Ceph RGW): the bounds of the querying issue,
/// which must not grow with the collection (the benchmark repeats them at 10,000 records).
/// A "cold" reader is a second app instance with an empty record cache.
/// </summary>
[Category(External.Category)]
public sealed class QueryRequestCountTests
{
    private const int N = 2500;

    // ⌈N/1000⌉ LIST pages; Ceph RGW may return a short page (e.g. 989 keys, still truncated) — legal S3
    // behaviour that costs one more LIST. AWS fills every page.
    private const long KeyPages = (N + 999) / 1000;
    private string _location = "";
    private TestApp _writer = null!;

    [OneTimeSetUp]
    public async Task Seed()
    {
        _location = TestStores.NewLocation(TestStore.S3);
        _writer = await TestApp.StartAsync(TestStore.S3, a => a.Register<ScaleEndpoint>("/scale"), location: _location);
        await _writer.SeedAsync("/scale", Enumerable.Range(0, N).Select(i => new { name = $"item {i}", team = $"team-{i % 50:D2}", score = i }), parallelism: 32);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _writer.DisposeAsync();

    private static async Task<(RequestCounts Counts, System.Text.Json.Nodes.JsonObject Body)> Measure(TestApp app, string url)
    {
        var before = app.Counter.Snapshot();
        var response = await app.Client.GetAsync(url);
        var body = await response.JsonAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body.ToJsonString());
        return (app.Counter.Snapshot().Minus(before), body);
    }

    private async Task<TestApp> ColdReader(bool pages = false) => await TestApp.StartAsync(TestStore.S3, a =>
    {
        if (pages) a.Register<ScalePagesEndpoint>("/scale-pages");
        else a.Register<ScaleEndpoint>("/scale");
    }, location: _location);

    [Test]
    public async Task First_cursor_page_without_filter_is_one_list_and_twenty_gets_then_no_gets_when_warm()
    {
        await using var reader = await ColdReader();
        var (cold, body) = await Measure(reader, "/scale");
        var (warm, _) = await Measure(reader, "/scale");
        Assert.That(body["results"]!.AsArray(), Has.Count.EqualTo(20));
        Assert.That(body["next"], Is.Not.Null);
        Assert.That((cold[StoreOperation.List], cold[StoreOperation.Get]), Is.EqualTo((1L, 20L)), cold.ToString());
        Assert.That((warm[StoreOperation.List], warm[StoreOperation.Get]), Is.EqualTo((1L, 0L)), warm.ToString());
        Assert.That(reader.Endpoint("/scale").Engine.Explain(RecordQuery.All).Kind, Is.EqualTo(QueryPlanKind.KeyWalk));
    }

    [Test]
    public async Task A_later_cursor_page_costs_the_same_as_the_first()
    {
        await using var reader = await ColdReader();
        var (_, first) = await Measure(reader, "/scale?page_size=20");
        var cursor = Uri.EscapeDataString(first["next"]!.GetValue<string>());
        var (counts, _) = await Measure(reader, $"/scale?page_size=20&cursor={cursor}");
        Assert.That((counts[StoreOperation.List], counts[StoreOperation.Get]), Is.EqualTo((1L, 20L)), counts.ToString());
    }

    [Test]
    public async Task Equality_on_an_indexed_field_reads_only_the_page()
    {
        await using var reader = await ColdReader();
        var (counts, body) = await Measure(reader, "/scale?team=team-07");
        var teams = body["results"]!.AsArray().Select(r => r!["team"]!.GetValue<string>()).ToList();
        Assert.That(teams, Has.Count.EqualTo(20));
        Assert.That(teams, Has.All.EqualTo("team-07"));
        Assert.That(counts[StoreOperation.List], Is.LessThanOrEqualTo(2), counts.ToString());
        Assert.That(counts[StoreOperation.Get], Is.LessThanOrEqualTo(20), counts.ToString());
    }

    [Test]
    public async Task Range_and_ordering_on_an_indexed_field_read_only_the_page()
    {
        await using var reader = await ColdReader();
        var (counts, body) = await Measure(reader, "/scale?score__gte=1000&score__lt=1900&ordering=score");
        Assert.That(body["results"]!.AsArray().Select(r => r!["score"]!.GetValue<int>()), Is.EqualTo(Enumerable.Range(1000, 20)));
        Assert.That(counts[StoreOperation.List], Is.LessThanOrEqualTo(2), counts.ToString());
        Assert.That(counts[StoreOperation.Get], Is.LessThanOrEqualTo(20), counts.ToString());
        var cursor = Uri.EscapeDataString(body["next"]!.GetValue<string>());
        var (next, nextBody) = await Measure(reader, $"/scale?score__gte=1000&score__lt=1900&ordering=score&cursor={cursor}");
        Assert.That(nextBody["results"]!.AsArray().Select(r => r!["score"]!.GetValue<int>()), Is.EqualTo(Enumerable.Range(1020, 20)));
        Assert.That((next[StoreOperation.List] <= 2, next[StoreOperation.Get] <= 20), Is.EqualTo((true, true)), next.ToString());
    }

    [Test]
    public async Task Search_over_the_whole_collection_with_a_warm_cache_is_lists_only()
    {
        ListingRecorder records = null!;
        await using var reader = await TestApp.StartAsync(TestStore.S3, a => a.Register<ScaleEndpoint>("/scale"), location: _location,
            wrapStore: s => records = new ListingRecorder(s, getPrefix: "scale/records/"));
        var before = records.Gets;
        var (cold, _) = await Measure(reader, "/scale?search=item%2012");
        // record GETs only: the cold app's own start-up reads may still be running on a loaded machine
        Assert.That(records.Gets - before, Is.EqualTo(N), "a cold scan reads each record once");
        Assert.That(cold[StoreOperation.Get], Is.GreaterThanOrEqualTo(N), cold.ToString());
        var (warm, body) = await Measure(reader, "/scale?search=item%2012");
        Assert.That(warm[StoreOperation.Get], Is.Zero, warm.ToString());
        Assert.That(warm[StoreOperation.List], Is.InRange(KeyPages, KeyPages + 1), warm.ToString());
        Assert.That(body["results"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()), Has.All.Contains("item 12"));
    }

    [Test]
    public async Task A_page_number_count_lists_keys_but_reads_only_the_page()
    {
        await using var reader = await ColdReader(pages: true);
        var (plain, body) = await Measure(reader, "/scale-pages?page=3");
        Assert.That(body["count"]!.GetValue<int>(), Is.EqualTo(N));
        Assert.That(plain[StoreOperation.Get], Is.EqualTo(20), plain.ToString());
        Assert.That(plain[StoreOperation.List], Is.InRange(KeyPages, KeyPages + 1), plain.ToString());
        var (filtered, fbody) = await Measure(reader, "/scale-pages?team=team-03&page=2");
        Assert.That(fbody["count"]!.GetValue<int>(), Is.EqualTo(50));
        Assert.That((filtered[StoreOperation.List], filtered[StoreOperation.Get]), Is.EqualTo((1L, 20L)), "count from index entries, GETs only for the page");
    }
}
