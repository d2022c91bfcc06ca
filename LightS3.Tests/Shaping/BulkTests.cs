using System.Text.Json.Nodes;
using LightS3.Tests.Support;

namespace LightS3.Tests.Shaping;

/// <summary><c>POST {route}/_bulk</c>: per-line results in order, each a full write with the endpoint's rules and permissions.</summary>
[TestFixture(TestStore.Memory)]
[TestFixture(TestStore.Embedded)]
[TestFixture(TestStore.S3, Category = External.Category)]
public sealed class BulkTests(TestStore store)
{
    private TestApp _app = null!;

    [OneTimeSetUp]
    public async Task Start() => _app = await Shaped.StartAsync(store);

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    private static string Line(object value) => System.Text.Json.JsonSerializer.Serialize(value);

    [Test]
    public async Task Mixed_lines_get_their_own_results_in_line_order()
    {
        var tag = Guid.NewGuid().ToString("N");
        var toUpdate = await _app.CreateAsync("/books", Shaped.Book("Old title", tag, 10, "A"));
        var stale = await _app.CreateAsync("/books", Shaped.Book("Stale", tag, 10, "B"));
        var toDelete = await _app.CreateAsync("/books", Shaped.Book("Doomed", tag, 10, "C"));
        await _app.CreateAsync("/books", Shaped.Book("Taken", tag, 10, "D", isbn: $"isbn-{tag}"));
        string[] lines =
        [
            Line(Shaped.Book("Fresh", tag, 99, "E")),
            Line(new { title = "Bad", genre = tag, pages = 0, author = new { name = "F" } }),
            Line(new { op = "update", id = toUpdate["id"]!.GetValue<string>(), version = 1, data = new { title = "New title" } }),
            Line(new { op = "update", id = stale["id"]!.GetValue<string>(), version = 7, data = new { title = "Nope" } }),
            Line(new { op = "delete", id = toDelete["id"]!.GetValue<string>() }),
            Line(new { op = "delete", id = Guid.CreateVersion7().ToString() }),
            Line(Shaped.Book("Duplicate", tag, 10, "G", isbn: $"isbn-{tag}")),
            "{not json",
            Line(new { op = "merge", id = "x" }),
            Line(new { op = "update", id = toUpdate["id"]!.GetValue<string>() }),
        ];
        var response = await Shaped.BulkAsync(_app, "/books", lines);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/x-ndjson"));
        var results = await Shaped.LinesAsync(response);
        Assert.That(results.Select(r => r["status"]!.GetValue<int>()), Is.EqualTo(new[] { 201, 422, 200, 409, 204, 404, 409, 400, 400, 422 }),
            string.Join("\n", results.Select(r => r.ToJsonString())));
        Assert.That(results.Select(r => r["line"]!.GetValue<int>()), Is.EqualTo(Enumerable.Range(1, 10)));
        Assert.Multiple(() =>
        {
            Assert.That(results[1]["errors"]!.AsObject().ContainsKey("pages"), Is.True, "422 names the field");
            Assert.That(results[3]["id"]!.GetValue<string>(), Is.EqualTo(stale["id"]!.GetValue<string>()));
            Assert.That(results[6]["errors"]!.AsObject().ContainsKey("isbn"), Is.True, "the unique marker refused it");
            Assert.That(results[7]["detail"]!.GetValue<string>(), Does.Contain("malformed JSON"));
            Assert.That(results[9]["errors"]!.AsObject().ContainsKey("data"), Is.True);
        });

        // the writes are real: visible through the single-record routes
        var created = await _app.Client.GetAsync($"/books/{results[0]["id"]!.GetValue<string>()}").JsonAsync();
        Assert.That((created["title"]!.GetValue<string>(), created["version"]!.GetValue<int>()), Is.EqualTo(("Fresh", 1)));
        var updated = await _app.Client.GetAsync($"/books/{toUpdate["id"]}").JsonAsync();
        Assert.That((updated["title"]!.GetValue<string>(), updated["pages"]!.GetValue<int>(), updated["version"]!.GetValue<int>()), Is.EqualTo(("New title", 10, 2)),
            "update merges data into the record");
        Assert.That(await _app.Client.GetAsync($"/books/{toDelete["id"]}").StatusAsync(), Is.EqualTo(404));
        var listed = await _app.Client.GetAsync($"/books?genre={tag}&page_size=100").JsonAsync();
        Assert.That(listed["results"]!.AsArray().Select(r => r!["title"]!.GetValue<string>()).Order(),
            Is.EqualTo(new[] { "Fresh", "New title", "Stale", "Taken" }));
    }

    [Test]
    public async Task Delete_with_a_version_deletes_only_that_version()
    {
        var book = await _app.CreateAsync("/books", Shaped.Book("Versioned", "v", 10, "A"));
        var id = book["id"]!.GetValue<string>();
        var results = await Shaped.LinesAsync(await Shaped.BulkAsync(_app, "/books", [Line(new { op = "delete", id, version = 2 })]));
        Assert.That(results.Single()["status"]!.GetValue<int>(), Is.EqualTo(409));
        Assert.That(await _app.Client.GetAsync($"/books/{id}").StatusAsync(), Is.EqualTo(200));
        results = await Shaped.LinesAsync(await Shaped.BulkAsync(_app, "/books", [Line(new { op = "delete", id, version = 1 })]));
        Assert.That(results.Single()["status"]!.GetValue<int>(), Is.EqualTo(204));
    }

    [Test]
    public async Task Each_item_passes_the_verb_and_object_permissions_of_its_caller()
    {
        var alice = Tokens.Create("alice");
        var bob = Tokens.Create("bob");
        var note = await (await Shaped.SendAsync(_app, HttpMethod.Post, "/notes", alice, new { text = "alice's" })).JsonAsync();
        var id = note["id"]!.GetValue<string>();
        string[] lines =
        [
            Line(new { op = "update", id, version = 1, data = new { text = "bob was here" } }),
            Line(new { op = "delete", id }),
            Line(new { text = "bob's own" }),
        ];
        var results = await Shaped.LinesAsync(await Shaped.BulkAsync(_app, "/notes", lines, bob));
        Assert.That(results.Select(r => r["status"]!.GetValue<int>()), Is.EqualTo(new[] { 403, 403, 201 }));
        var stored = await (await Shaped.SendAsync(_app, HttpMethod.Get, $"/notes/{id}", alice)).JsonAsync();
        Assert.That((stored["text"]!.GetValue<string>(), stored["version"]!.GetValue<int>()), Is.EqualTo(("alice's", 1)));
        var own = await (await Shaped.SendAsync(_app, HttpMethod.Get, $"/notes/{results[2]["id"]}", bob)).JsonAsync();
        Assert.That(own["owner"]!.GetValue<string>(), Is.EqualTo("bob"), "the handler's CreateAsync hook ran");

        var anonymous = await Shaped.BulkAsync(_app, "/notes", lines);
        Assert.That((int)anonymous.StatusCode, Is.EqualTo(401), "missing credentials refuse the whole request");
    }

    [Test]
    public async Task A_bulk_write_drops_cached_lists()
    {
        var tag = Guid.NewGuid().ToString("N");
        await _app.Client.GetAsync($"/books?genre={tag}");
        var cached = await _app.Client.GetAsync($"/books?genre={tag}");
        Assert.That(cached.Headers.GetValues("X-Cache").Single(), Is.EqualTo("HIT"));
        await Shaped.BulkAsync(_app, "/books", [Line(Shaped.Book("New", tag, 1, "A"))]);
        var after = await _app.Client.GetAsync($"/books?genre={tag}");
        Assert.That(after.Headers.GetValues("X-Cache").Single(), Is.EqualTo("MISS"));
        Assert.That((await after.JsonAsync())["results"]!.AsArray(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Lines_that_are_not_valid_json_objects_fail_alone_with_400()
    {
        string[] lines = ["[1,2]", "{\"title\":\"\\ud800\",\"genre\":\"u\",\"author\":{\"name\":\"A\"}}", "{\"a\":1,\"a\":2}", Line(Shaped.Book("Fine", "u", 1, "A"))];
        var results = await Shaped.LinesAsync(await Shaped.BulkAsync(_app, "/books", lines));
        Assert.That(results.Select(r => r["status"]!.GetValue<int>()), Is.EqualTo(new[] { 400, 400, 400, 201 }),
            string.Join("\n", results.Select(r => r.ToJsonString())));
        Assert.That(results[1]["detail"]!.GetValue<string>(), Does.Contain("Unicode"));
    }

    [Test]
    public async Task A_body_that_is_not_ndjson_is_a_415_problem()
    {
        var response = await _app.Client.PostAsync("/books/_bulk", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.That((int)response.StatusCode, Is.EqualTo(415));
        Assert.That((await response.JsonAsync())["detail"]!.GetValue<string>(), Does.Contain("application/x-ndjson"));
    }
}

/// <summary>The bulk body limit is its own, apart from the single-record limit.</summary>
public sealed class BulkLimitTests
{
    [Test]
    public async Task The_bulk_limit_is_separate_from_the_single_record_limit()
    {
        await using var app = await Shaped.StartAsync(TestStore.Memory, o =>
        {
            o.MaxBodyBytes = 1_000;
            o.MaxBulkBodyBytes = 20_000;
        });
        var line = System.Text.Json.JsonSerializer.Serialize(Shaped.Book("Limit", "limit", 1, "A"));
        var fits = await Shaped.BulkAsync(app, "/books", Enumerable.Repeat(line, 50)); // ~6 KB: over the single limit, under the bulk one
        Assert.That((int)fits.StatusCode, Is.EqualTo(200));
        Assert.That((await Shaped.LinesAsync(fits)).All(r => r["status"]!.GetValue<int>() == 201), Is.True);
        var tooBig = await Shaped.BulkAsync(app, "/books", Enumerable.Repeat(line, 500));
        Assert.That((int)tooBig.StatusCode, Is.EqualTo(413));
        Assert.That((await tooBig.JsonAsync())["detail"]!.GetValue<string>(), Does.Contain("20000"));
    }
}
