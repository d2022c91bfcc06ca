using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LightS3.Tests.Support;

namespace LightS3.Tests.Http;

/// <summary>The CRUD contract over HTTP, on each store.</summary>
[TestFixture(TestStore.Memory)]
[TestFixture(TestStore.File)]
[TestFixture(TestStore.Embedded)]
[TestFixture(TestStore.S3, Category = External.Category)]
public sealed class CrudTests(TestStore store)
{
    private TestApp _app = null!;

    [OneTimeSetUp]
    public async Task Start() => _app = await TestApp.StartAsync(store, app => app.Register<BookEndpoint>("/books"));

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    private static object Book(string title = "Clean Code") => new { title, author = "Robert Martin" };

    [Test]
    public async Task Create_returns_201_with_automatic_fields_location_and_etag()
    {
        var response = await _app.PostAsync("/books", Book());
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var body = await response.JsonAsync();
        var id = body["id"]!.GetValue<string>();
        Assert.Multiple(() =>
        {
            Assert.That(Guid.TryParse(id, out var g) && g.Version == 7, Is.True, "id is a UUIDv7");
            Assert.That(body["version"]!.GetValue<long>(), Is.EqualTo(1));
            Assert.That(body["created_at"]!.GetValue<string>(), Does.EndWith("Z"));
            Assert.That(body["updated_at"]!.GetValue<string>(), Is.EqualTo(body["created_at"]!.GetValue<string>()));
            Assert.That(body["in_stock"]!.GetValue<bool>(), Is.True, "default applied");
            Assert.That(body["genre"]!.GetValue<string>(), Is.EqualTo("Fiction"));
            Assert.That(body.ContainsKey("scratch"), Is.False, "excluded property is not a field");
            Assert.That(response.Headers.Location!.ToString(), Is.EqualTo($"/books/{id}"));
            Assert.That(response.Headers.ETag, Is.Not.Null);
        });
    }

    [Test]
    public async Task Retrieve_returns_the_record_with_its_etag_and_304_when_unchanged()
    {
        var created = await _app.CreateAsync("/books", Book());
        var id = created["id"]!.GetValue<string>();
        var get = await _app.Client.GetAsync($"/books/{id}");
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await get.JsonAsync())["title"]!.GetValue<string>(), Is.EqualTo("Clean Code"));

        var conditional = await _app.SendAsync(HttpMethod.Get, $"/books/{id}", adjust: r => r.Headers.IfNoneMatch.Add(get.Headers.ETag!));
        Assert.That(conditional.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        var other = await _app.SendAsync(HttpMethod.Get, $"/books/{id}", adjust: r => r.Headers.TryAddWithoutValidation("If-None-Match", "\"other\""));
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task List_returns_results_in_creation_order()
    {
        await using var app = await TestApp.StartAsync(store, a => a.Register<BookEndpoint>("/books"));
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add((await app.CreateAsync("/books", Book($"B{i}")))["id"]!.GetValue<string>());
        var list = await (await app.Client.GetAsync("/books")).JsonAsync();
        var results = list["results"]!.AsArray();
        Assert.That(results.Select(r => r!["id"]!.GetValue<string>()), Is.EqualTo(ids));
    }

    [Test]
    public async Task Put_with_the_current_version_replaces_the_record_and_bumps_version()
    {
        var created = await _app.CreateAsync("/books", new { title = "A", author = "B", pages = 10 });
        var id = created["id"]!.GetValue<string>();
        var put = await _app.SendAsync(HttpMethod.Put, $"/books/{id}", new { title = "A2", author = "B2", version = 1 });
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());
        var body = await put.JsonAsync();
        Assert.Multiple(() =>
        {
            Assert.That(body["version"]!.GetValue<long>(), Is.EqualTo(2));
            Assert.That(body["title"]!.GetValue<string>(), Is.EqualTo("A2"));
            Assert.That(body["pages"], Is.Null, "PUT is a full replacement: unsent optional fields are cleared");
            Assert.That(body["created_at"]!.GetValue<string>(), Is.EqualTo(created["created_at"]!.GetValue<string>()));
            Assert.That(string.CompareOrdinal(body["updated_at"]!.GetValue<string>(), created["updated_at"]!.GetValue<string>()), Is.GreaterThan(0));
        });
    }

    [Test]
    public async Task Patch_changes_only_the_fields_sent()
    {
        var created = await _app.CreateAsync("/books", new { title = "A", author = "B", pages = 10 });
        var id = created["id"]!.GetValue<string>();
        var patch = await _app.SendAsync(HttpMethod.Patch, $"/books/{id}", new { title = "A2", version = 1 });
        var body = await patch.JsonAsync();
        Assert.That(patch.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((body["title"]!.GetValue<string>(), body["author"]!.GetValue<string>(), body["pages"]!.GetValue<int>(), body["version"]!.GetValue<long>()),
            Is.EqualTo(("A2", "B", 10, 2L)));
    }

    [Test]
    public async Task A_stale_version_gets_409_version_conflict_and_changes_nothing()
    {
        var id = (await _app.CreateAsync("/books", Book()))["id"]!.GetValue<string>();
        Assert.That(await _app.SendAsync(HttpMethod.Patch, $"/books/{id}", new { title = "first", version = 1 }).StatusAsync(), Is.EqualTo(200));
        var stale = await _app.SendAsync(HttpMethod.Put, $"/books/{id}", new { title = "second", author = "x", version = 1 });
        Assert.That(stale.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(stale.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((await stale.JsonAsync())["detail"]!.GetValue<string>(), Is.EqualTo("version conflict"));
        var current = await (await _app.Client.GetAsync($"/books/{id}")).JsonAsync();
        Assert.That((current["title"]!.GetValue<string>(), current["version"]!.GetValue<long>()), Is.EqualTo(("first", 2L)));
    }

    [Test]
    public async Task If_match_works_as_the_lock_token_and_a_stale_etag_gets_409()
    {
        var created = await _app.PostAsync("/books", Book());
        var id = (await created.JsonAsync())["id"]!.GetValue<string>();
        var etag = created.Headers.ETag!;
        var ok = await _app.SendAsync(HttpMethod.Patch, $"/books/{id}", new { title = "via etag" }, r => r.Headers.IfMatch.Add(etag));
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(ok.Headers.ETag, Is.Not.EqualTo(etag));
        var stale = await _app.SendAsync(HttpMethod.Patch, $"/books/{id}", new { title = "again" }, r => r.Headers.IfMatch.Add(etag));
        Assert.That(stale.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    public async Task An_update_without_version_or_if_match_is_422()
    {
        var id = (await _app.CreateAsync("/books", Book()))["id"]!.GetValue<string>();
        var response = await _app.SendAsync(HttpMethod.Patch, $"/books/{id}", new { title = "x" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That((await response.JsonAsync())["errors"]!["version"], Is.Not.Null);
    }

    [Test]
    public async Task Updating_or_deleting_an_unknown_id_is_404()
    {
        var missing = Guid.CreateVersion7().ToString();
        Assert.That(await _app.SendAsync(HttpMethod.Put, $"/books/{missing}", new { title = "a", author = "b", version = 1 }).StatusAsync(), Is.EqualTo(404));
        Assert.That(await _app.SendAsync(HttpMethod.Patch, $"/books/{missing}", new { version = 1 }).StatusAsync(), Is.EqualTo(404));
        Assert.That(await _app.SendAsync(HttpMethod.Delete, $"/books/{missing}").StatusAsync(), Is.EqualTo(404));
        Assert.That(await _app.Client.GetAsync($"/books/{missing}").StatusAsync(), Is.EqualTo(404));
    }

    [Test]
    public async Task Delete_returns_204_then_the_record_is_gone()
    {
        var id = (await _app.CreateAsync("/books", Book()))["id"]!.GetValue<string>();
        Assert.That(await _app.SendAsync(HttpMethod.Delete, $"/books/{id}").StatusAsync(), Is.EqualTo(204));
        Assert.That(await _app.Client.GetAsync($"/books/{id}").StatusAsync(), Is.EqualTo(404));
        Assert.That(await _app.SendAsync(HttpMethod.Delete, $"/books/{id}").StatusAsync(), Is.EqualTo(404));
    }

    [Test]
    public async Task Delete_honours_if_match()
    {
        var created = await _app.PostAsync("/books", Book());
        var id = (await created.JsonAsync())["id"]!.GetValue<string>();
        var etag = created.Headers.ETag!;
        await _app.SendAsync(HttpMethod.Patch, $"/books/{id}", new { title = "changed", version = 1 });
        var stale = await _app.SendAsync(HttpMethod.Delete, $"/books/{id}", adjust: r => r.Headers.IfMatch.Add(etag));
        Assert.That(stale.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await _app.Client.GetAsync($"/books/{id}").StatusAsync(), Is.EqualTo(200));
        var current = (await _app.Client.GetAsync($"/books/{id}")).Headers.ETag!;
        Assert.That(await _app.SendAsync(HttpMethod.Delete, $"/books/{id}", adjust: r => r.Headers.IfMatch.Add(current)).StatusAsync(), Is.EqualTo(204));
    }

    [Test]
    public async Task Values_are_stored_in_canonical_form()
    {
        var body = await _app.CreateAsync("/books", new
        {
            title = "T", author = "A", price = "12.50", genre = "science", published_at = "2024-03-01T10:00:00+02:00",
            @ref = "0D2B9A7E-1C4F-4E7A-9B1D-3C5E7F9A1B2C", rating = 4.5, sold = 9000000000L,
        });
        Assert.Multiple(() =>
        {
            Assert.That(body["price"]!.GetValue<decimal>(), Is.EqualTo(12.5m));
            Assert.That(body["genre"]!.GetValue<string>(), Is.EqualTo("Science"));
            Assert.That(body["published_at"]!.GetValue<string>(), Is.EqualTo("2024-03-01T08:00:00.0000000Z"));
            Assert.That(body["ref"]!.GetValue<string>(), Is.EqualTo("0d2b9a7e-1c4f-4e7a-9b1d-3c5e7f9a1b2c"));
            Assert.That(body["sold"]!.GetValue<long>(), Is.EqualTo(9000000000L));
        });
    }

    [Test]
    public async Task Automatic_fields_in_a_body_are_ignored_so_a_get_response_can_be_put_back()
    {
        var created = await _app.CreateAsync("/books", new { title = "T", author = "A", id = "not-mine", created_at = "1999-01-01T00:00:00Z" });
        Assert.That(created["id"]!.GetValue<string>(), Is.Not.EqualTo("not-mine"));
        Assert.That(created["created_at"]!.GetValue<string>(), Does.Not.StartWith("1999"));
        var id = created["id"]!.GetValue<string>();
        created["title"] = "T2";
        var put = await _app.Client.PutAsJsonAsync($"/books/{id}", created);
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await put.JsonAsync())["id"]!.GetValue<string>(), Is.EqualTo(id));
    }

    [Test]
    public async Task A_unique_value_is_refused_while_held_and_free_again_after_change_or_delete()
    {
        var first = await _app.CreateAsync("/books", new { title = "A", author = "B", isbn = "9780000000001" });
        var dup = await _app.PostAsync("/books", new { title = "C", author = "D", isbn = "9780000000001" });
        Assert.That(dup.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await dup.JsonAsync())["errors"]!["isbn"], Is.Not.Null, "409 names the field");

        var id = first["id"]!.GetValue<string>();
        Assert.That(await _app.SendAsync(HttpMethod.Patch, $"/books/{id}", new { isbn = "9780000000002", version = 1 }).StatusAsync(), Is.EqualTo(200));
        var second = await _app.CreateAsync("/books", new { title = "C", author = "D", isbn = "9780000000001" });
        Assert.That(await _app.PostAsync("/books", new { title = "E", author = "F", isbn = "9780000000002" }).StatusAsync(), Is.EqualTo(409));

        Assert.That(await _app.SendAsync(HttpMethod.Delete, $"/books/{second["id"]}").StatusAsync(), Is.EqualTo(204));
        Assert.That(await _app.PostAsync("/books", new { title = "G", author = "H", isbn = "9780000000001" }).StatusAsync(), Is.EqualTo(201));
    }
}
