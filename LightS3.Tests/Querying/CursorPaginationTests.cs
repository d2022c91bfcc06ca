using System.Net;
using LightS3.Query;
using LightS3.Tests.Support;

namespace LightS3.Tests.Querying;

/// <summary>Keyset cursors on every query plan: complete, non-overlapping pages both ways, no empty last page.</summary>
[TestFixture(TestStore.Memory)]
[TestFixture(TestStore.File)]
[TestFixture(TestStore.Embedded)]
[TestFixture(TestStore.S3, Category = External.Category)]
public sealed class CursorPaginationTests(TestStore store)
{
    private static readonly IReadOnlyList<SeedProduct> Seeds = SeedProduct.Make(29);
    private TestApp _app = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _app = await TestApp.StartAsync(store, a => a.Register<ProductCursor>("/products"));
        foreach (var seed in Seeds) await _app.CreateAsync("/products", seed.Body);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    private sealed record Page(List<string> Titles, string? Next, string? Previous);

    private async Task<Page> Get(string query)
    {
        var response = await _app.Client.GetAsync($"/products?{query}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var body = await response.JsonAsync();
        return new Page(body["results"]!.AsArray().Select(r => r!["title"]!.GetValue<string>()).ToList(),
            body["next"]?.GetValue<string>(), body["previous"]?.GetValue<string>());
    }

    public static IEnumerable<TestCaseData> Shapes()
    {
        TestCaseData Case(string query, QueryPlanKind plan, Func<IEnumerable<SeedProduct>, IEnumerable<SeedProduct>> expected) =>
            new TestCaseData(query, plan, expected).SetArgDisplayNames(query.Length == 0 ? "(none)" : query);
        yield return Case("", QueryPlanKind.KeyWalk, s => s);
        yield return Case("ordering=price", QueryPlanKind.IndexStream, s => s.OrderBy(x => x.Price));
        yield return Case("category=tech", QueryPlanKind.IndexStream, s => s.Where(x => x.Category == "tech"));
        yield return Case("ordering=stock&published=true", QueryPlanKind.IndexStream, s => s.Where(x => x.Published).OrderBy(x => x.Stock.HasValue).ThenBy(x => x.Stock));
        yield return Case("price__gte=0&ordering=price", QueryPlanKind.IndexStream, s => s.Where(x => x.Price >= 0).OrderBy(x => x.Price));
        yield return Case("ordering=-price", QueryPlanKind.Scan, s => s.OrderByDescending(x => x.Price));
        yield return Case("category__in=news,food&ordering=-stock", QueryPlanKind.IndexCandidates,
            s => s.Where(x => x.Category != "tech").OrderByDescending(x => x.Stock.HasValue).ThenByDescending(x => x.Stock));
        yield return Case("search=ada&ordering=title", QueryPlanKind.Scan, s => s.Where(x => x.Author.StartsWith("Ada")).OrderBy(x => x.Title, StringComparer.Ordinal));
        yield return Case("rating__gt=2&ordering=category", QueryPlanKind.IndexStream, s => s.Where(x => x.Rating > 2).OrderBy(x => x.Category, StringComparer.Ordinal));
        yield return Case("rating__gt=2&ordering=-category", QueryPlanKind.Scan, s => s.Where(x => x.Rating > 2).OrderByDescending(x => x.Category, StringComparer.Ordinal));
        yield return Case("tag__startswith=py", QueryPlanKind.IndexCandidates, s => s.Where(x => x.Tag == "python-tips"));
    }

    [TestCaseSource(nameof(Shapes))]
    public async Task Walking_forward_then_back_visits_every_record_once(string query, QueryPlanKind plan, Func<IEnumerable<SeedProduct>, IEnumerable<SeedProduct>> expected)
    {
        var (selection, _) = QueryStringParser.Parse(_app.Endpoint("/products").Model,
            Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query) is var q ? new Microsoft.AspNetCore.Http.QueryCollection(q) : null!, 1000);
        Assert.That(_app.Endpoint("/products").Engine.Explain(selection).Kind, Is.EqualTo(plan), "the case exercises the intended plan");

        var want = expected(Seeds).Select(s => s.Title).ToList();
        var pages = new List<Page>();
        var page = await Get($"{query}&page_size=4");
        pages.Add(page);
        while (page.Next is not null)
        {
            page = await Get($"{query}&page_size=4&cursor={Uri.EscapeDataString(page.Next)}");
            pages.Add(page);
        }
        Assert.That(pages.SelectMany(p => p.Titles), Is.EqualTo(want));
        Assert.That(pages.All(p => p.Titles.Count > 0), Is.True, "no empty page");
        Assert.That(pages[0].Previous, Is.Null);

        var back = new List<string>();
        var current = pages[^1];
        back.InsertRange(0, current.Titles);
        while (current.Previous is not null)
        {
            current = await Get($"{query}&page_size=4&cursor={Uri.EscapeDataString(current.Previous)}");
            Assert.That(current.Titles, Is.Not.Empty);
            back.InsertRange(0, current.Titles);
        }
        Assert.That(back, Is.EqualTo(want), "previous cursors walk back over the same records");
    }

    [Test]
    public async Task A_tampered_or_foreign_cursor_is_400()
    {
        var first = await Get("category=tech&page_size=2");
        var tampered = first.Next![..^2] + (first.Next[^2] == 'A' ? "B" : "A") + first.Next[^1];
        Assert.That(await _app.Client.GetAsync($"/products?category=tech&cursor={tampered}").StatusAsync(), Is.EqualTo(400));
        var foreign = await _app.Client.GetAsync($"/products?category=news&cursor={Uri.EscapeDataString(first.Next)}");
        Assert.That(foreign.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await foreign.JsonAsync())["detail"]!.GetValue<string>(), Does.Contain("cursor"));
        Assert.That(await _app.Client.GetAsync("/products?cursor=%%%").StatusAsync(), Is.EqualTo(400));
    }

    [Test]
    public async Task A_page_parameter_on_a_cursor_endpoint_is_400()
    {
        Assert.That(await _app.Client.GetAsync("/products?page=2").StatusAsync(), Is.EqualTo(400));
    }

    [TestCase("")]
    [TestCase("ordering=price")]
    [TestCase("ordering=-price")]
    public async Task Paging_while_records_are_inserted_skips_and_repeats_nothing(string query)
    {
        await using var app = await TestApp.StartAsync(store, a => a.Register<ProductCursor>("/products"));
        var originals = SeedProduct.Make(20);
        foreach (var s in originals) await app.CreateAsync("/products", s.Body);

        var seen = new List<string>();
        string? next = null;
        var round = 0;
        do
        {
            var url = $"/products?{query}&page_size=3" + (next is null ? "" : $"&cursor={Uri.EscapeDataString(next)}");
            var body = await (await app.Client.GetAsync(url)).JsonAsync();
            seen.AddRange(body["results"]!.AsArray().Select(r => r!["title"]!.GetValue<string>()));
            next = body["next"]?.GetValue<string>();
            // concurrent writers add records between page requests, some sorting before the position, some after
            await app.CreateAsync("/products", new { title = $"Inserted {round}a", author = "x", category = "tech", price = -100 + round, published = false });
            await app.CreateAsync("/products", new { title = $"Inserted {round}b", author = "x", category = "tech", price = 100 + round, published = false });
            round++;
        } while (next is not null && round < 100);

        Assert.That(seen, Is.Unique, "no record repeated");
        Assert.That(seen.Where(t => t.StartsWith("Product")), Is.EquivalentTo(originals.Select(o => o.Title)), "no existing record skipped");
    }
}
