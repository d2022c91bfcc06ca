using System.Net;
using LightS3.Tests.Support;

namespace LightS3.Tests.Querying;

/// <summary>
/// A repeated filter parameter is one more condition (AND), applied identically to <c>count</c> and <c>results</c>
/// on every plan; a repeated control parameter (ordering, search, page, page_size, cursor) is a 400.
/// </summary>
[TestFixture(TestStore.Memory)]
[TestFixture(TestStore.File)]
[TestFixture(TestStore.S3, Category = External.Category)]
public sealed class RepeatedParameterTests(TestStore store)
{
    private static readonly IReadOnlyList<SeedProduct> Seeds = SeedProduct.Make(27);
    private TestApp _app = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _app = await TestApp.StartAsync(store, a => a.Register<ProductPages>("/products"));
        foreach (var seed in Seeds) await _app.CreateAsync("/products", seed.Body);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    public static IEnumerable<TestCaseData> Repeats()
    {
        TestCaseData Case(string query, Func<SeedProduct, bool> predicate) => new TestCaseData(query, predicate).SetArgDisplayNames(query);
        yield return Case("category=news&category=tech", _ => false);
        yield return Case("category=news&category=news", s => s.Category == "news");
        yield return Case("category=tech&category__gt=news", s => s.Category == "tech");
        yield return Case("category=news&category__gt=news", _ => false);
        yield return Case("category__in=news,tech&category__in=tech,food", s => s.Category == "tech");
        yield return Case("category__in=news,tech&category__ne=news", s => s.Category == "tech");
        yield return Case("price__gte=0&price__gte=5", s => s.Price >= 5);
        yield return Case("price__lt=10&price__lt=2", s => s.Price < 2);
        yield return Case("stock__isnull=true&stock__isnull=false", _ => false);
        yield return Case("tag__startswith=py&tag__startswith=pz", _ => false);
        yield return Case("author=Bob%20Smith&author=Ada%20Lovelace", _ => false);
    }

    [TestCaseSource(nameof(Repeats))]
    public async Task A_repeated_filter_is_an_AND_with_the_same_count_and_results(string query, Func<SeedProduct, bool> predicate)
    {
        var want = Seeds.Where(predicate).Select(s => s.Title).ToList();
        foreach (var ordering in new[] { "", "&ordering=category", "&ordering=-price" })
        {
            var response = await _app.Client.GetAsync($"/products?page_size=50&{query}{ordering}");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            var body = await response.JsonAsync();
            var titles = body["results"]!.AsArray().Select(r => r!["title"]!.GetValue<string>()).ToList();
            Assert.That(titles, Is.EquivalentTo(want), ordering);
            Assert.That(body["count"]!.GetValue<int>(), Is.EqualTo(want.Count), $"count{ordering}");
        }
    }

    [TestCase("ordering=title&ordering=price")]
    [TestCase("ordering=-created_at&ordering=title")]
    [TestCase("search=ada&search=bob")]
    [TestCase("page=1&page=2")]
    [TestCase("page_size=5&page_size=5")]
    [TestCase("ordering=title&ORDERING=price")]
    public async Task A_repeated_control_parameter_is_400_naming_it(string query)
    {
        var response = await _app.Client.GetAsync($"/products?{query}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await response.JsonAsync())["detail"]!.GetValue<string>(), Does.Contain("appears 2 times"));
    }
}

/// <summary>A cached endpoint with ordering: the cache key reads the query string the way the parser does.</summary>
[Cache(Ttl = 60)]
[Filtering(Fields = ["name"], Ordering = ["name", "rank", "created_at"])]
public class CachedRanked : RestEndpoint<CachedRanked>
{
    public string Name { get; set; } = "";
    public int Rank { get; set; }
}

public sealed class RepeatedParameterCacheTests
{
    [Test]
    public async Task The_cache_never_answers_a_query_string_the_parser_reads_differently()
    {
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<CachedRanked>("/ranked"));
        foreach (var (name, rank) in new[] { ("b", 1), ("a", 2), ("c", 2) }) await app.CreateAsync("/ranked", new { name, rank });

        async Task<(int Status, string? Cache, string Body)> Get(string query)
        {
            var response = await app.Client.GetAsync($"/ranked?{query}");
            return ((int)response.StatusCode, response.Headers.TryGetValues("X-Cache", out var v) ? v.Single() : null, await response.Content.ReadAsStringAsync());
        }

        // one ordering parameter with several keys: order matters, and each order has its own entry
        var byRankThenName = await Get("ordering=-rank,name");
        var byNameThenRank = await Get("ordering=name,-rank");
        Assert.That(byRankThenName.Body, Is.Not.EqualTo(byNameThenRank.Body));
        Assert.That((await Get("ordering=-rank,name")).Cache, Is.EqualTo("HIT"));

        // repeated ordering: a 400 whatever was cached before, in either order
        var first = await Get("ordering=-created_at&ordering=name");
        var second = await Get("ordering=name&ordering=-created_at");
        Assert.That((first.Status, second.Status), Is.EqualTo((400, 400)));

        // filters commute (AND): the parameter order does not matter, names are sorted
        Assert.That((await Get("name=a&ordering=rank")).Cache, Is.EqualTo("MISS"));
        Assert.That((await Get("ordering=rank&name=a")).Cache, Is.EqualTo("HIT"));
    }
}
