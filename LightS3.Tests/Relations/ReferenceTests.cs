using System.Text.Json.Nodes;
using LightS3.Storage;
using LightS3.Tests.Support;

namespace LightS3.Tests.Relations;

/// <summary>
/// Reference fields over HTTP, for the C# classes and their YAML twin on every store: a reference must name an existing
/// record (422), <c>?expand=</c> embeds referenced records with one GET per distinct id of a page and referencing records
/// with one index LIST per parent, nested up to three levels, and deletes follow on_delete (protect, set_null, cascade).
/// </summary>
[TestFixture(TestStore.Memory, Front.CSharp)]
[TestFixture(TestStore.Memory, Front.Yaml)]
[TestFixture(TestStore.Embedded, Front.CSharp)]
[TestFixture(TestStore.Embedded, Front.Yaml)]
[TestFixture(TestStore.S3, Front.CSharp, Category = External.Category)]
[TestFixture(TestStore.S3, Front.Yaml, Category = External.Category)]
public sealed class ReferenceTests(TestStore store, Front front)
{
    private TestApp _app = null!;
    private WatchedStore _watched = null!;

    [OneTimeSetUp]
    public async Task Start() => _app = await TestApp.StartAsync(store, a => Library.Register(a, front), wrapStore: s => _watched = new WatchedStore(s));

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    private async Task<string> Create(string route, object body) => (await _app.CreateAsync(route, body))["id"]!.GetValue<string>();

    private async Task<JsonObject> Get(string path, int expected = 200)
    {
        var response = await _app.Client.GetAsync(path);
        var body = await response.JsonAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(expected), body.ToJsonString());
        return body;
    }

    [Test]
    public async Task A_reference_to_a_missing_record_is_a_422_under_the_field_name()
    {
        var missing = Guid.CreateVersion7().ToString();
        var response = await _app.PostAsync("/books", new { title = "Dune", author = missing });
        var body = await response.JsonAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(422), body.ToJsonString());
        Assert.That(body["errors"]!["author"]![0]!.GetValue<string>(), Does.Contain(missing).And.Contain("/authors"));
        Assert.That(await _app.PostAsync("/books", new { title = "Dune", author = "not-an-id" }).StatusAsync(), Is.EqualTo(422));

        var author = await Create("/authors", new { name = "Herbert" });
        var book = await _app.CreateAsync("/books", new { title = "Dune", author = author.ToUpperInvariant() });
        Assert.That(book["author"]!.GetValue<string>(), Is.EqualTo(author), "stored as the target spells its ids");
        var patch = await _app.SendAsync(HttpMethod.Patch, $"/books/{book["id"]}", new { author = missing, version = 1 });
        Assert.That((int)patch.StatusCode, Is.EqualTo(422), await patch.Content.ReadAsStringAsync());
        Assert.That((await patch.JsonAsync())["errors"]!.AsObject().Select(e => e.Key), Is.EqualTo(new[] { "author" }));
    }

    [Test]
    public async Task Expand_embeds_each_referenced_record_with_one_GET_per_distinct_id_of_the_page()
    {
        var herbert = await Create("/authors", new { name = "Herbert" });
        var le = await Create("/authors", new { name = "Le Guin" });
        var title = "expand-" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 6; i++) await Create("/books", new { title, author = i % 2 == 0 ? herbert : le });
        await Create("/books", new { title }); // no author: nothing to embed

        await Get($"/books?title={title}"); // warm the record cache
        _watched.Clear();
        var plain = await Get($"/books?title={title}");
        var plainGets = _watched.Count(StoreOperation.Get, "");
        _watched.Clear();
        var expanded = await Get($"/books?title={title}&expand=author");
        var authorGets = _watched.Count(StoreOperation.Get, "authors/");
        Assert.That((authorGets, _watched.Count(StoreOperation.Get, "books/")), Is.EqualTo((2, plainGets)),
            "one GET per distinct author, the books as without expand: " + _watched.Describe());

        var results = expanded["results"]!.AsArray();
        Assert.That(results, Has.Count.EqualTo(7));
        Assert.That(plain["results"]!.AsArray().Select(r => r!["expand"]), Is.All.Null, "no expand asked, none given");
        foreach (var book in results)
        {
            var author = book!["author"]?.GetValue<string>();
            Assert.That(book["author"]?.GetValue<string>(), Is.EqualTo(author), "the id stays");
            if (author is null) Assert.That(book["expand"]!.AsObject(), Is.Empty);
            else Assert.That(book["expand"]!["author"]!["name"]!.GetValue<string>(), Is.EqualTo(author == herbert ? "Herbert" : "Le Guin"));
        }
    }

    [Test]
    public async Task Expand_on_retrieve_follows_nested_references()
    {
        var publisher = await Create("/publishers", new { name = "Ace" });
        var author = await Create("/authors", new { name = "Herbert", publisher });
        var genre = await Create("/genres", new { name = "SF" });
        var book = await Create("/books", new { title = "Dune", author, genre });

        var read = await Get($"/books/{book}?expand=author.publisher,genre");
        Assert.That(read["expand"]!["author"]!["name"]!.GetValue<string>(), Is.EqualTo("Herbert"));
        Assert.That(read["expand"]!["author"]!["expand"]!["publisher"]!["name"]!.GetValue<string>(), Is.EqualTo("Ace"));
        Assert.That(read["expand"]!["genre"]!["name"]!.GetValue<string>(), Is.EqualTo("SF"));
        Assert.That(read["author"]!.GetValue<string>(), Is.EqualTo(author));

        var review = await Create("/reviews", new { text = "great", book });
        var deep = await Get($"/reviews/{review}?expand=book.author.publisher");
        Assert.That(deep["expand"]!["book"]!["expand"]!["author"]!["expand"]!["publisher"]!["name"]!.GetValue<string>(), Is.EqualTo("Ace"), "three levels");
    }

    [Test]
    public async Task Back_references_embed_the_referencing_records_capped_with_one_index_LIST_per_parent()
    {
        var prolific = await Create("/authors", new { name = "Asimov" });
        var quiet = await Create("/authors", new { name = "Salinger" });
        await _app.SeedAsync("/books", Enumerable.Range(0, 25).Select(i => (object)new { title = $"Foundation {i:00}", author = prolific }));
        await Create("/books", new { title = "Catcher", author = quiet });

        _watched.Clear();
        var one = await Get($"/authors/{quiet}?expand=books");
        Assert.That(one["expand"]!["books"]!.AsArray().Select(b => b!["title"]!.GetValue<string>()), Is.EqualTo(new[] { "Catcher" }));
        Assert.That(_watched.Count(StoreOperation.List, "books/index/author/"), Is.EqualTo(1), _watched.Describe());

        var many = await Get($"/authors/{prolific}?expand=books");
        var titles = many["expand"]!["books"]!.AsArray().Select(b => b!["title"]!.GetValue<string>()).ToList();
        Assert.That(titles, Has.Count.EqualTo(Endpoints.Expander.BackReferenceCap), "capped");
        Assert.That(titles, Is.Unique);
        Assert.That(titles, Is.All.StartsWith("Foundation"));

        _watched.Clear();
        var page = await Get($"/authors?expand=books");
        var parents = page["results"]!.AsArray().Count;
        Assert.That(_watched.Count(StoreOperation.List, "books/index/author/"), Is.EqualTo(parents), "one LIST per author on the page: " + _watched.Describe());
        var salinger = page["results"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == quiet)!;
        Assert.That(salinger["expand"]!["books"]!.AsArray(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task An_unknown_or_too_deep_expand_is_a_400_naming_what_exists()
    {
        var unknown = await _app.Client.GetAsync("/books?expand=writer");
        var body = await unknown.JsonAsync();
        Assert.That((int)unknown.StatusCode, Is.EqualTo(400), body.ToJsonString());
        Assert.That(body["detail"]!.GetValue<string>(), Does.Contain("'writer'").And.Contain("author").And.Contain("reviews"));
        var book = await Create("/books", new { title = "x" });
        Assert.That(await _app.Client.GetAsync($"/books/{book}?expand=author.nope").StatusAsync(), Is.EqualTo(400));
        Assert.That(await _app.Client.GetAsync("/reviews?expand=book.author.publisher.authors").StatusAsync(), Is.EqualTo(400), "four levels");
        Assert.That(await _app.Client.GetAsync("/books?expand=author&expand=genre").StatusAsync(), Is.EqualTo(400), "sent twice");
    }

    [Test]
    public async Task Deleting_a_record_a_protect_reference_points_at_is_a_409_naming_the_referencing_record()
    {
        var genre = await Create("/genres", new { name = "Horror" });
        var book = await Create("/books", new { title = "It", genre });
        var refused = await _app.Client.DeleteAsync($"/genres/{genre}");
        var problem = await refused.JsonAsync();
        Assert.That((int)refused.StatusCode, Is.EqualTo(409), problem.ToJsonString());
        Assert.That(refused.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("/books").And.Contain(book).And.Contain("genre"));
        await Get($"/genres/{genre}");

        Assert.That(await _app.Client.DeleteAsync($"/books/{book}").StatusAsync(), Is.EqualTo(204));
        Assert.That(await _app.Client.DeleteAsync($"/genres/{genre}").StatusAsync(), Is.EqualTo(204), "no longer referenced");
    }

    [Test]
    public async Task Deleting_a_publisher_sets_its_authors_reference_to_null_in_the_background()
    {
        var publisher = await Create("/publishers", new { name = "Gone" });
        var authors = new List<string>();
        for (var i = 0; i < 3; i++) authors.Add(await Create("/authors", new { name = $"a{i}", publisher }));
        Assert.That(await _app.Client.DeleteAsync($"/publishers/{publisher}").StatusAsync(), Is.EqualTo(204));
        await Eventually(async () =>
        {
            foreach (var id in authors) if ((await Get($"/authors/{id}"))["publisher"] is not null) return false;
            return true;
        });
        Assert.That((await Get($"/authors/{authors[0]}"))["name"]!.GetValue<string>(), Is.EqualTo("a0"), "only the reference changed");
        await Eventually(async () => (await _app.ObjectStore.ListAsync("publishers/jobs/on-delete/", null, 10)).Entries.Count == 0);
    }

    [Test]
    public async Task Deleting_an_author_cascades_to_the_books_and_on_to_their_reviews()
    {
        var author = await Create("/authors", new { name = "Doomed" });
        var books = new List<string>();
        for (var i = 0; i < 4; i++) books.Add(await Create("/books", new { title = $"b{i}", author }));
        var review = await Create("/reviews", new { text = "r", book = books[0] });
        var other = await Create("/books", new { title = "survivor" });

        Assert.That(await _app.Client.DeleteAsync($"/authors/{author}").StatusAsync(), Is.EqualTo(204));
        await Eventually(async () => (await Get($"/books?author={author}"))["results"]!.AsArray().Count == 0);
        foreach (var id in books) Assert.That(await _app.Client.GetAsync($"/books/{id}").StatusAsync(), Is.EqualTo(404));
        await Eventually(async () => await _app.Client.GetAsync($"/reviews/{review}").StatusAsync() == 404);
        await Get($"/books/{other}");
        await Eventually(async () => (await _app.ObjectStore.ListAsync("authors/jobs/on-delete/", null, 10)).Entries.Count == 0
                                     && (await _app.ObjectStore.ListAsync("books/jobs/on-delete/", null, 10)).Entries.Count == 0);
    }

    internal static async Task Eventually(Func<Task<bool>> condition, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"not within {seconds} s");
            await Task.Delay(100);
        }
    }
}
