using System.Net;
using System.Text.Json.Nodes;
using LightS3.Tests.Support;

namespace LightS3.Tests.Querying;

/// <summary>
/// Every operator, search and ordering over HTTP, on every store. Expected results are computed with LINQ
/// over the seed data, independently of LightS3.
/// </summary>
[TestFixture(TestStore.Memory)]
[TestFixture(TestStore.File)]
[TestFixture(TestStore.S3, Category = External.Category)]
public sealed class FilteringTests(TestStore store)
{
    private static readonly IReadOnlyList<SeedProduct> Seeds = SeedProduct.Make(30);
    private TestApp _app = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _app = await TestApp.StartAsync(store, a => a.Register<ProductPages>("/products"));
        foreach (var seed in Seeds) await _app.CreateAsync("/products", seed.Body); // sequential: creation order = seed order
    }

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    private async Task<List<string>> Titles(string query)
    {
        var response = await _app.Client.GetAsync($"/products?page_size=50&{query}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var body = await response.JsonAsync();
        var titles = body["results"]!.AsArray().Select(r => r!["title"]!.GetValue<string>()).ToList();
        Assert.That(body["count"]!.GetValue<int>(), Is.EqualTo(titles.Count), "count agrees with the results");
        return titles;
    }

    private static List<string> Expected(Func<SeedProduct, bool> predicate) => Seeds.Where(predicate).Select(s => s.Title).ToList();

    public static IEnumerable<TestCaseData> Operators()
    {
        TestCaseData Case(string query, Func<SeedProduct, bool> predicate) => new TestCaseData(query, predicate).SetArgDisplayNames(query);
        yield return Case("category=news", s => s.Category == "news");
        yield return Case("category__eq=tech", s => s.Category == "tech");
        yield return Case("category__ne=news", s => s.Category != "news");
        yield return Case("price__gt=5", s => s.Price > 5);
        yield return Case("price__gte=5", s => s.Price >= 5);
        yield return Case("price__lt=0", s => s.Price < 0);
        yield return Case("price__lte=-2.5", s => s.Price <= -2.5m);
        yield return Case("price__gt=-5&price__lt=5", s => s.Price > -5 && s.Price < 5);
        yield return Case("price=2.50", s => s.Price == 2.5m);
        yield return Case("price__in=0,2.5,-12.5", s => s.Price is 0 or 2.5m or -12.5m);
        yield return Case("category__in=news,food", s => s.Category is "news" or "food");
        yield return Case("category__nin=news,food", s => s.Category is not ("news" or "food"));
        yield return Case("title__contains=1", s => s.Title.Contains('1'));
        yield return Case("title__icontains=PRODUCT%201", s => s.Title.Contains("Product 1"));
        yield return Case("title__startswith=Product%202", s => s.Title.StartsWith("Product 2"));
        yield return Case("title__endswith=5", s => s.Title.EndsWith('5'));
        yield return Case("tag__startswith=py", s => s.Tag?.StartsWith("py") == true);
        yield return Case("stock__isnull=true", s => s.Stock is null);
        yield return Case("stock__isnull=false", s => s.Stock is not null);
        yield return Case("stock__gte=10", s => s.Stock >= 10);
        yield return Case("stock__lt=6", s => s.Stock < 6);
        yield return Case("published=true", s => s.Published);
        yield return Case("rating__lt=3", s => s.Rating < 3);
        yield return Case("rating__isnull=true", s => s.Rating is null);
        yield return Case("category=tech&price__gt=0", s => s.Category == "tech" && s.Price > 0);
        yield return Case("category=news&published=false", s => s.Category == "news" && !s.Published);
        yield return Case("author=Ada%20Lovelace&stock__isnull=false", s => s.Author == "Ada Lovelace" && s.Stock is not null);
        yield return Case("search=ada", s => s.Author.Contains("Ada"));
        yield return Case("search=PRODUCT%200", s => s.Title.StartsWith("Product 0"));
        yield return Case("search=smith&category=food", s => s.Author.Contains("Smith") && s.Category == "food");
        yield return Case("price__gt=1000", _ => false);
    }

    [TestCaseSource(nameof(Operators))]
    public async Task A_filter_returns_exactly_the_matching_records_in_creation_order(string query, Func<SeedProduct, bool> predicate)
    {
        Assert.That(await Titles(query), Is.EqualTo(Expected(predicate)));
    }

    public static IEnumerable<TestCaseData> Orderings()
    {
        TestCaseData Case(string ordering, Func<IEnumerable<SeedProduct>, IEnumerable<SeedProduct>> sort) => new TestCaseData(ordering, sort).SetArgDisplayNames(ordering);
        // ties are broken by id, i.e. creation (= seed) order; nulls sort first
        yield return Case("price", s => s.OrderBy(x => x.Price));
        yield return Case("-price", s => s.OrderByDescending(x => x.Price));
        yield return Case("stock", s => s.OrderBy(x => x.Stock.HasValue).ThenBy(x => x.Stock));
        yield return Case("-stock", s => s.OrderByDescending(x => x.Stock.HasValue).ThenByDescending(x => x.Stock));
        yield return Case("-rating", s => s.OrderByDescending(x => x.Rating.HasValue).ThenByDescending(x => x.Rating));
        yield return Case("category,-price", s => s.OrderBy(x => x.Category, StringComparer.Ordinal).ThenByDescending(x => x.Price));
        yield return Case("-title", s => s.OrderByDescending(x => x.Title, StringComparer.Ordinal));
        yield return Case("-created_at", s => s.Reverse());
    }

    [TestCaseSource(nameof(Orderings))]
    public async Task Ordering_is_total_and_stable(string ordering, Func<IEnumerable<SeedProduct>, IEnumerable<SeedProduct>> sort)
    {
        Assert.That(await Titles($"ordering={ordering}"), Is.EqualTo(sort(Seeds).Select(s => s.Title).ToList()));
    }

    [Test]
    public async Task Filters_combine_with_ordering_on_an_indexed_field()
    {
        Assert.That(await Titles("price__gte=0&ordering=price&category__ne=food"),
            Is.EqualTo(Seeds.Where(s => s.Price >= 0 && s.Category != "food").OrderBy(s => s.Price).Select(s => s.Title).ToList()));
    }

    [TestCase("unknown=1", "unknown")]
    [TestCase("price__foo=1", "price__foo")]
    [TestCase("price=abc", "price")]
    [TestCase("price__in=1,x", "price__in")]
    [TestCase("stock__contains=1", "stock__contains")]
    [TestCase("stock__isnull=maybe", "stock__isnull")]
    [TestCase("released_at__gt=yesterday", "released_at__gt")]
    [TestCase("ordering=author", "ordering")]
    [TestCase("ordering=price,price", "ordering")]
    [TestCase("page=abc", "page")]
    [TestCase("page=0", "page")]
    [TestCase("page=-1", "page")]
    [TestCase("page_size=0", "page_size")]
    [TestCase("page_size=ten", "page_size")]
    [TestCase("cursor=abc", "cursor")]
    public async Task A_bad_parameter_is_400_naming_it(string query, string parameter)
    {
        var response = await _app.Client.GetAsync($"/products?{query}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var body = await response.JsonAsync();
        Assert.That(body["detail"]!.GetValue<string>(), Does.Contain($"'{parameter}'"));
        Assert.That(body["errors"]![parameter], Is.Not.Null);
    }
}
