using System.Text.Json.Nodes;
using LightS3.Tests.Support;

namespace LightS3.Tests.Shaping;

/// <summary><c>?fields=</c> on retrieve and list, over real stores: projection, 400s, weak ETag, response cache.</summary>
[TestFixture(TestStore.Memory)]
[TestFixture(TestStore.Embedded)]
[TestFixture(TestStore.S3, Category = External.Category)]
public sealed class FieldSelectionTests(TestStore store)
{
    private TestApp _app = null!;
    private string _dune = "";

    [OneTimeSetUp]
    public async Task Start()
    {
        _app = await Shaped.StartAsync(store);
        _dune = (await _app.CreateAsync("/books", Shaped.Book("Dune", "sf", 412, "Herbert", "isbn-1", "desert", "classic")))["id"]!.GetValue<string>();
        await _app.CreateAsync("/books", Shaped.Book("Emma", "novel", 300, "Austen"));
        await _app.CreateAsync("/documents", new { title = "t", secret = "s" });
    }

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    [Test]
    public async Task Retrieve_with_fields_returns_only_the_selected_members_including_a_nested_path()
    {
        var response = await _app.Client.GetAsync($"/books/{_dune}?fields=id,title,author.name");
        var body = await response.JsonAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body.ToJsonString());
        Assert.That(JsonNode.DeepEquals(body, JsonNode.Parse($$$"""{"id":"{{{_dune}}}","title":"Dune","author":{"name":"Herbert"}}""")), body.ToJsonString());
    }

    [Test]
    public async Task List_with_fields_projects_every_result_and_keeps_the_page_shape()
    {
        var body = await _app.Client.GetAsync("/books?fields=title,pages&ordering=pages").JsonAsync();
        Assert.That(body["results"]!.ToJsonString(), Is.EqualTo("""[{"title":"Emma","pages":300},{"title":"Dune","pages":412}]"""));
        Assert.That(body.ContainsKey("next"), Is.True, "the cursor page keeps next/previous");
    }

    [Test]
    public async Task Unknown_or_serializer_hidden_fields_are_a_400_problem()
    {
        foreach (var path in new[] { $"/books/{_dune}?fields=title,nope", "/books?fields=author.age", "/documents?fields=secret", $"/books/{_dune}?fields=title&fields=id" })
        {
            var response = await _app.Client.GetAsync(path);
            var body = await response.JsonAsync();
            Assert.That((int)response.StatusCode, Is.EqualTo(400), path);
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(body["detail"]!.GetValue<string>(), Does.Contain("fields"), path);
        }
        var allowed = await _app.Client.GetAsync("/documents?fields=title").JsonAsync();
        Assert.That(allowed["results"]![0]!.ToJsonString(), Is.EqualTo("""{"title":"t"}"""));
    }

    [Test]
    public async Task A_projected_retrieve_has_a_weak_etag_that_revalidates_with_304()
    {
        var full = await _app.Client.GetAsync($"/books/{_dune}");
        var strong = full.Headers.ETag!;
        var projected = await _app.Client.GetAsync($"/books/{_dune}?fields=title");
        var weak = projected.Headers.ETag!;
        Assert.That((strong.IsWeak, weak.IsWeak, weak.Tag), Is.EqualTo((false, true, strong.Tag)));
        var again = await _app.SendAsync(HttpMethod.Get, $"/books/{_dune}?fields=title", adjust: r => r.Headers.IfNoneMatch.Add(weak));
        Assert.That((int)again.StatusCode, Is.EqualTo(304));
    }

    [Test]
    public async Task The_response_cache_keeps_a_projection_apart_from_the_full_response()
    {
        var id = (await _app.CreateAsync("/books", Shaped.Book("Cached", "x", 5, "Nobody")))["id"]!.GetValue<string>();
        var full = await _app.Client.GetAsync($"/books/{id}");
        var projected = await _app.Client.GetAsync($"/books/{id}?fields=pages");
        var hit = await _app.Client.GetAsync($"/books/{id}?fields=pages");
        Assert.That(full.Headers.GetValues("X-Cache").Single(), Is.EqualTo("MISS"));
        Assert.That(projected.Headers.GetValues("X-Cache").Single(), Is.EqualTo("MISS"), "fields is part of the key");
        Assert.That(hit.Headers.GetValues("X-Cache").Single(), Is.EqualTo("HIT"));
        Assert.That(await hit.Content.ReadAsStringAsync(), Is.EqualTo("""{"pages":5}"""));
        Assert.That(hit.Headers.ETag!.IsWeak, Is.True, "the cached projection keeps its weak ETag");
    }
}
