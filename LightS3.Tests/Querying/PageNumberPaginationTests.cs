using System.Net;
using LightS3.Tests.Support;

namespace LightS3.Tests.Querying;

[TestFixture(TestStore.Memory)]
[TestFixture(TestStore.File)]
[TestFixture(TestStore.Embedded)]
[TestFixture(TestStore.S3, Category = External.Category)]
public sealed class PageNumberPaginationTests(TestStore store)
{
    private static readonly IReadOnlyList<SeedProduct> Seeds = SeedProduct.Make(23);
    private TestApp _app = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _app = await TestApp.StartAsync(store, a => a.Register<ProductPages>("/products"));
        foreach (var seed in Seeds) await _app.CreateAsync("/products", seed.Body);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    [Test]
    public async Task Pages_have_count_pages_and_absolute_encoded_links()
    {
        var body = await (await _app.Client.GetAsync("/products?page=2&title__icontains=product%20&page_size=5")).JsonAsync();
        Assert.That(body["count"]!.GetValue<int>(), Is.EqualTo(23));
        Assert.That(body["pages"]!.GetValue<int>(), Is.EqualTo(5));
        Assert.That(body["results"]!.AsArray().Select(r => r!["title"]!.GetValue<string>()), Is.EqualTo(Seeds.Skip(5).Take(5).Select(s => s.Title)));
        var next = new Uri(body["next"]!.GetValue<string>());
        var previous = new Uri(body["previous"]!.GetValue<string>());
        Assert.That(next.IsAbsoluteUri && next.Authority == _app.Client.BaseAddress!.Authority, Is.True);
        Assert.That(next.Query, Does.Contain("page=3").And.Contain("title__icontains=product%20").And.Contain("page_size=5"));
        Assert.That(previous.Query, Does.Contain("page=1"));
        var followed = await (await _app.Client.GetAsync(next)).JsonAsync();
        Assert.That(followed["results"]!.AsArray().Select(r => r!["title"]!.GetValue<string>()), Is.EqualTo(Seeds.Skip(10).Take(5).Select(s => s.Title)));
    }

    [Test]
    public async Task Walking_every_page_returns_every_record_once()
    {
        var seen = new List<string>();
        string? url = "/products?page_size=4&ordering=-price";
        while (url is not null)
        {
            var body = await (await _app.Client.GetAsync(url)).JsonAsync();
            seen.AddRange(body["results"]!.AsArray().Select(r => r!["title"]!.GetValue<string>()));
            url = body["next"]?.GetValue<string>();
        }
        Assert.That(seen, Is.EqualTo(Seeds.OrderByDescending(s => s.Price).Select(s => s.Title)));
    }

    [Test]
    public async Task The_first_page_has_no_previous_and_the_last_no_next()
    {
        var first = await (await _app.Client.GetAsync("/products")).JsonAsync();
        Assert.That(first["previous"], Is.Null);
        Assert.That(first["results"]!.AsArray(), Has.Count.EqualTo(5), "default page size");
        var last = await (await _app.Client.GetAsync("/products?page=5")).JsonAsync();
        Assert.That(last["next"], Is.Null);
        Assert.That(last["results"]!.AsArray(), Has.Count.EqualTo(3));
    }

    [Test]
    public async Task A_page_beyond_the_last_is_empty_and_points_back_to_the_last()
    {
        var response = await _app.Client.GetAsync("/products?page=99");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = await response.JsonAsync();
        Assert.That(body["results"]!.AsArray(), Is.Empty);
        Assert.That(body["next"], Is.Null);
        Assert.That(new Uri(body["previous"]!.GetValue<string>()).Query, Does.Contain("page=5"));
    }

    [Test]
    public async Task Page_size_is_capped_at_the_maximum()
    {
        // more records than the cap (4), so a missing cap would show: 6 results and 1 page
        await using var app = await TestApp.StartAsync(store, a => a.Register<CappedPages>("/capped"));
        await app.SeedAsync("/capped", Seeds.Take(6).Select(s => s.Body), parallelism: 1);
        var body = await (await app.Client.GetAsync("/capped?page_size=1000")).JsonAsync();
        Assert.That(body["results"]!.AsArray(), Has.Count.EqualTo(CappedPages.Max));
        Assert.That(body["count"]!.GetValue<int>(), Is.EqualTo(6));
        Assert.That(body["pages"]!.GetValue<int>(), Is.EqualTo(2));
    }

    [Test]
    public async Task A_cursor_on_a_page_number_endpoint_is_400()
    {
        Assert.That(await _app.Client.GetAsync("/products?cursor=x").StatusAsync(), Is.EqualTo(400));
    }
}

/// <summary>A page-number endpoint whose cap is below the seeded record count.</summary>
[Pagination(PaginationStyle.PageNumber, PageSize = 2, MaxPageSize = Max)]
public class CappedPages : ProductBase<CappedPages>
{
    public const int Max = 4;
}
