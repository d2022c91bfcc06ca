using LightS3.Tests.Support;

namespace LightS3.Tests.Querying;

/// <summary>
/// A page lists about what it needs, not 1,000 keys, and a page-number count is asked of the store instead of
/// walking the range (memory and SQLite stores; on S3 the counts are pinned by <see cref="QueryRequestCountTests"/>).
/// 600 records: 'team' has 200 per value, 'score' is distinct per record.
/// </summary>
[TestFixture(TestStore.Memory)]
[TestFixture(TestStore.Embedded)]
public sealed class PageListingSizeTests(TestStore store)
{
    private const int N = 600;

    // a page of 20: 20 + 1 to tell whether a next page exists + a slack of max(4, 20/4)
    private const int FirstListing = 26;
    private TestApp _app = null!;
    private ListingRecorder _recorder = null!;
    private List<string> _ids = null!;

    [OneTimeSetUp]
    public async Task Seed()
    {
        _app = await TestApp.StartAsync(store, a => a.Register<ScaleEndpoint>("/scale"),
            wrapStore: s => _recorder = new ListingRecorder(s));
        _ids = await _app.SeedAsync("/scale", Enumerable.Range(0, N).Select(i => new { name = $"item {i}", team = $"team-{i % 3}", score = i }));
    }

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    private async Task<(long Lists, long Keys, System.Text.Json.Nodes.JsonObject Body)> Measure(string url)
    {
        _recorder.Reset();
        var response = await _app.Client.GetAsync(url);
        var body = await response.JsonAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body.ToJsonString());
        return (_recorder.Lists, _recorder.KeysListed, body);
    }

    [TestCase("/scale", TestName = "A first cursor page of 20 lists one page of keys, not 1,000")]
    [TestCase("/scale?team=team-1", TestName = "An indexed equality page of 20 lists one page of index entries")]
    [TestCase("/scale?score__gte=100&score__lt=400&ordering=score", TestName = "An indexed range and ordering page of 20 lists one page of index entries")]
    public async Task A_page_of_20_lists_at_most_26_keys(string url)
    {
        var (lists, keys, body) = await Measure(url);
        Assert.That(body["results"]!.AsArray(), Has.Count.EqualTo(20));
        Assert.That(body["next"], Is.Not.Null);
        Assert.That((lists, keys), Is.EqualTo((1L, (long)FirstListing)), "one LIST of the page + lookahead + slack");
        var (nextLists, nextKeys, next) = await Measure(url + (url.Contains('?') ? "&" : "?") + "cursor=" + Uri.EscapeDataString(body["next"]!.GetValue<string>()));
        Assert.That(next["results"]!.AsArray(), Has.Count.EqualTo(20));
        Assert.That((nextLists, nextKeys), Is.EqualTo((1L, (long)FirstListing)), "a later page costs the same");
    }

    [TestCase("/scale", TestName = "A previous cursor page lists one page of keys backwards from its position, not the collection up to it")]
    [TestCase("/scale?score__gte=100&score__lt=400&ordering=score", TestName = "A previous indexed range page lists one page of index entries backwards")]
    public async Task A_previous_page_of_20_lists_at_most_26_keys(string url)
    {
        string Follow(System.Text.Json.Nodes.JsonObject body, string link) =>
            url + (url.Contains('?') ? "&" : "?") + "cursor=" + Uri.EscapeDataString(body[link]!.GetValue<string>());
        var pages = new List<System.Text.Json.Nodes.JsonObject> { (await Measure(url)).Body };
        for (var i = 0; i < 3; i++) pages.Add((await Measure(Follow(pages[^1], "next"))).Body);
        var (lists, keys, previous) = await Measure(Follow(pages[^1], "previous"));
        Assert.That(previous["results"]!.ToJsonString(), Is.EqualTo(pages[^2]["results"]!.ToJsonString()), "the previous page is page 3 again");
        Assert.That(previous["previous"], Is.Not.Null);
        Assert.That((lists, keys), Is.EqualTo((1L, (long)FirstListing)), "page 4's previous page lists 26 keys backwards, not the 60 before it");
    }

    [Test]
    public async Task A_page_whose_entries_verification_drops_lists_more_in_growing_listings_and_still_fills_the_page()
    {
        // team-1 entries are listed; the unindexed name filter keeps 1 in 10 of them (names "item 1x…"), so the listing grows
        var (lists, keys, body) = await Measure("/scale?team=team-1&name__startswith=item%201");
        var names = body["results"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).ToList();
        Assert.That(names, Has.Count.EqualTo(20).And.All.StartWith("item 1"));
        Assert.That(lists, Is.InRange(2, 5), "26, 52, 104, 208 keys: doubling, not one LIST per key nor 1,000 at once");
        Assert.That(keys, Is.LessThan(200 + 1));
    }

    [Test]
    public async Task A_page_number_count_is_asked_of_the_store_and_lists_only_up_to_the_page()
    {
        _recorder.Reset();
        var page = await _app.App.Query("/scale").PaginateAsync(3, 20);
        Assert.That(page.Total, Is.EqualTo(N));
        Assert.That(page.Records.Select(r => r.Id), Is.EqualTo(_ids.Order(StringComparer.Ordinal).Skip(40).Take(20)));
        Assert.That((_recorder.Lists, _recorder.KeysListed), Is.EqualTo((1L, 76L)), "keys up to the page: 60 + 1 + 15; the count itself lists nothing");

        _recorder.Reset();
        var filtered = await _app.App.Query("/scale").Where("team", "team-2").PaginateAsync(2, 20);
        Assert.That(filtered.Total, Is.EqualTo(N / 3));
        Assert.That(filtered.Records.Select(r => r.Peek()["team"]!.GetValue<string>()).ToList(), Has.Count.EqualTo(20).And.All.EqualTo("team-2"));
        Assert.That((_recorder.Lists, _recorder.KeysListed), Is.EqualTo((1L, 51L)), "keys up to the page: 40 + 1 + 10");
    }
}
