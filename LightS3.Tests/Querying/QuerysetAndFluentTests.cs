using LightS3.Query;
using LightS3.Tests.Support;

namespace LightS3.Tests.Querying;

public sealed class QuerysetAndFluentTests
{
    [Test]
    public async Task A_queryset_scopes_lists_per_caller_including_cursors()
    {
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<OrderEndpoint>("/orders"));
        foreach (var (user, total) in new[] { ("alice", 10), ("bob", 20), ("alice", 30), ("bob", 40), ("alice", 50) })
            Assert.That(await app.SendAsync(HttpMethod.Post, "/orders", new { total }, r => r.Headers.Add("X-User", user)).StatusAsync(), Is.EqualTo(201));

        async Task<List<decimal>> Totals(string user, string query = "")
        {
            var r = await app.SendAsync(HttpMethod.Get, $"/orders?{query}", adjust: m => m.Headers.Add("X-User", user));
            return (await r.JsonAsync())["results"]!.AsArray().Select(x => x!["total"]!.GetValue<decimal>()).ToList();
        }
        Assert.That(await Totals("alice"), Is.EqualTo(new[] { 10m, 30m, 50m }));
        Assert.That(await Totals("bob", "ordering=-total"), Is.EqualTo(new[] { 40m, 20m }));
        Assert.That(await Totals("mallory"), Is.Empty);

        // alice's cursor replayed by bob still only shows bob's records
        var alicePage = await (await app.SendAsync(HttpMethod.Get, "/orders?page_size=1", adjust: m => m.Headers.Add("X-User", "alice"))).JsonAsync();
        var cursor = Uri.EscapeDataString(alicePage["next"]!.GetValue<string>());
        Assert.That(await Totals("bob", $"page_size=5&cursor={cursor}"), Is.EqualTo(new[] { 20m, 40m }));
    }

    [Test]
    public async Task The_fluent_api_matches_the_http_query_string()
    {
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<ProductPages>("/products"));
        var seeds = SeedProduct.Make(30);
        foreach (var s in seeds) await app.CreateAsync("/products", s.Body);

        var fluent = await app.App.Query("/products").Where("category", "tech").Where("price__gt", 0).OrderBy("-price").AllAsync();
        var http = await (await app.Client.GetAsync("/products?category=tech&price__gt=0&ordering=-price&page_size=50")).JsonAsync();
        Assert.That(fluent.Select(r => r.Id), Is.EqualTo(http["results"]!.AsArray().Select(r => r!["id"]!.GetValue<string>())));
        Assert.That(fluent.Select(r => r.Data["title"]!.GetValue<string>()),
            Is.EqualTo(seeds.Where(s => s.Category == "tech" && s.Price > 0).OrderByDescending(s => s.Price).Select(s => s.Title)));
    }

    [Test]
    public async Task The_fluent_api_has_first_get_count_exists_limit_and_paginate()
    {
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<ProductPages>("/products"));
        var seeds = SeedProduct.Make(30);
        var ids = new List<string>();
        foreach (var s in seeds) ids.Add((await app.CreateAsync("/products", s.Body))["id"]!.GetValue<string>());
        var products = app.App.Query("/products");

        Assert.That(await products.Where("category", "news").CountAsync(), Is.EqualTo(seeds.Count(s => s.Category == "news")));
        Assert.That(await products.Where("price__in", new[] { 0m, 2.5m }).CountAsync(), Is.EqualTo(2));
        Assert.That(await products.Where("stock", FilterOperator.IsNull, true).ExistsAsync(), Is.True);
        Assert.That(await products.Where("price__gt", 1000).ExistsAsync(), Is.False);
        Assert.That((await products.OrderBy("price").FirstAsync())!.Data["title"]!.GetValue<string>(), Is.EqualTo("Product 00"));
        Assert.That(await products.OrderBy("-price").Limit(3).AllAsync(), Has.Count.EqualTo(3));
        Assert.That(await products.Where("category", "news").GetAsync(ids[0]), Is.Not.Null);
        Assert.That(await products.Where("category", "tech").GetAsync(ids[0]), Is.Null, "get applies the conditions");
        Assert.That(await products.Search("ada").CountAsync(), Is.EqualTo(seeds.Count(s => s.Author.StartsWith("Ada"))));

        var page = await products.OrderBy("price").PaginateAsync(2, 7);
        Assert.That((page.Total, page.HasNext, page.HasPrevious), Is.EqualTo(((long?)30, true, true)));
        Assert.That(page.Records.Select(r => r.Data["title"]!.GetValue<string>()), Is.EqualTo(seeds.OrderBy(s => s.Price).Skip(7).Take(7).Select(s => s.Title)));
        Assert.Throws<ArgumentException>(() => products.Where("nope", 1));
        Assert.Throws<ArgumentException>(() => products.Where("price", "cheap"));
    }
}
