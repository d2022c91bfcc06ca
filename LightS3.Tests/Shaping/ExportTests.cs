using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using LightS3.Tests.Support;

namespace LightS3.Tests.Shaping;

/// <summary><c>GET {route}/_export</c>: NDJSON and CSV, with the list's filters, ordering, serializer and permissions.</summary>
[TestFixture(TestStore.Memory)]
[TestFixture(TestStore.Embedded)]
[TestFixture(TestStore.S3, Category = External.Category)]
public sealed class ExportTests(TestStore store)
{
    private TestApp _app = null!;
    private readonly string _genre = Guid.NewGuid().ToString("N");

    [OneTimeSetUp]
    public async Task Start()
    {
        _app = await Shaped.StartAsync(store);
        await _app.CreateAsync("/books", Shaped.Book("Long", _genre, 900, "Tolstoy", "isbn-9", "war", "peace"));
        await _app.CreateAsync("/books", Shaped.Book("Short, \"sharp\"", _genre, 90, "Chekhov"));
        await _app.CreateAsync("/books", Shaped.Book("Other", "elsewhere", 100, "Nobody"));
        await _app.CreateAsync("/documents", new { title = "public", secret = "hidden" });
        await Shaped.SendAsync(_app, HttpMethod.Post, "/notes", Tokens.Create("alice"), new { text = "a1" });
        await Shaped.SendAsync(_app, HttpMethod.Post, "/notes", Tokens.Create("bob"), new { text = "b1" });
        await Shaped.SendAsync(_app, HttpMethod.Post, "/notes", Tokens.Create("alice"), new { text = "a2" });
    }

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    [Test]
    public async Task Ndjson_export_streams_the_records_the_list_selects_in_its_order()
    {
        var response = await _app.Client.GetAsync($"/books/_export?genre={_genre}&ordering=pages");
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/x-ndjson"));
        var lines = await Shaped.LinesAsync(response);
        Assert.That(lines.Select(l => l["title"]!.GetValue<string>()), Is.EqualTo(new[] { "Short, \"sharp\"", "Long" }));
        var listed = await _app.Client.GetAsync($"/books?genre={_genre}&ordering=pages").JsonAsync();
        Assert.That(lines.Select(l => l.ToJsonString()), Is.EqualTo(listed["results"]!.AsArray().Select(r => r!.ToJsonString())), "the same records, as the list shows them");
    }

    [Test]
    public async Task Csv_export_flattens_nested_objects_to_dotted_columns_and_writes_lists_as_json()
    {
        var text = await _app.Client.GetStringAsync($"/books/_export?format=csv&genre={_genre}&ordering=-pages");
        var rows = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(rows[0], Is.EqualTo("id,title,isbn,genre,pages,author.name,author.email,tags,created_at,updated_at,version"));
        Assert.That(rows, Has.Length.EqualTo(3));
        Assert.That(rows[1], Does.Contain($",Long,isbn-9,{_genre},900,Tolstoy,tolstoy@example.org,\"[\"\"war\"\",\"\"peace\"\"]\","));
        Assert.That(rows[2], Does.Contain(",\"Short, \"\"sharp\"\"\","), "RFC 4180 quoting");
        Assert.That(rows[2], Does.Contain(",,"), "a null isbn is an empty cell");
    }

    [Test]
    public async Task Csv_cells_a_spreadsheet_would_run_as_formulas_get_a_quote_unless_escaping_is_turned_off()
    {
        var genre = Guid.NewGuid().ToString("N");
        foreach (var title in new[] { "=HYPERLINK(\"http://x\")", "+1", "-1", "@SUM(A1)", "\tx", "'kept", "plain" })
            await _app.CreateAsync("/books", Shaped.Book(title, genre, 10, "A"));
        async Task<string[]> TitlesAsync(string extra) =>
            (await _app.Client.GetStringAsync($"/books/_export?format=csv&fields=title&genre={genre}{extra}"))
                .Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();

        // a leading ' is escaped too, so removing exactly one ' always gives back the stored value
        Assert.That(await TitlesAsync(""), Is.EqualTo(new[] { "\"'=HYPERLINK(\"\"http://x\"\")\"", "'+1", "'-1", "'@SUM(A1)", "'\tx", "''kept", "plain" }));
        Assert.That(await TitlesAsync("&escape_formulas=false"), Is.EqualTo(new[] { "\"=HYPERLINK(\"\"http://x\"\")\"", "+1", "-1", "@SUM(A1)", "\tx", "'kept", "plain" }));
        var ndjson = await Shaped.LinesAsync(await _app.Client.GetAsync($"/books/_export?genre={genre}&escape_formulas=true"));
        Assert.That(ndjson.Select(l => l["title"]!.GetValue<string>()), Does.Contain("=HYPERLINK(\"http://x\")"), "NDJSON is data, never escaped");
    }

    [Test]
    public async Task Csv_is_chosen_by_accept_and_narrowed_by_fields()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/books/_export?genre={_genre}&ordering=pages&fields=title,author.name");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var response = await _app.Client.SendAsync(request);
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/csv"));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("title,author.name\r\n\"Short, \"\"sharp\"\"\",Chekhov\r\nLong,Tolstoy\r\n"));
    }

    [Test]
    public async Task Export_shows_only_what_the_read_serializer_shows()
    {
        var lines = await Shaped.LinesAsync(await _app.Client.GetAsync("/documents/_export"));
        Assert.That(lines.Single().Select(p => p.Key), Is.EqualTo(new[] { "id", "title", "version" }));
        var csv = await _app.Client.GetStringAsync("/documents/_export?format=csv");
        Assert.That(csv, Does.StartWith("id,title,version\r\n").And.Not.Contain("hidden"));
    }

    [Test]
    public async Task Export_honours_the_permissions_of_the_caller()
    {
        Assert.That(await _app.Client.GetAsync("/notes/_export").StatusAsync(), Is.EqualTo(401));
        var mine = await Shaped.LinesAsync(await Shaped.SendAsync(_app, HttpMethod.Get, "/notes/_export", Tokens.Create("alice")));
        Assert.That(mine.Select(n => n["text"]!.GetValue<string>()), Is.EqualTo(new[] { "a1", "a2" }), "records the object permission refuses are left out");
    }

    [Test]
    public async Task Bad_export_parameters_are_400_problems()
    {
        foreach (var query in new[] { "format=xml", "nope=1", "fields=nope", "format=csv&escape_formulas=maybe" })
        {
            var response = await _app.Client.GetAsync($"/books/_export?{query}");
            Assert.That((int)response.StatusCode, Is.EqualTo(400), query);
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        }
    }
}

/// <summary>An export longer than one page of the query layer continues page after page, in order, with nothing twice.</summary>
[TestFixture(TestStore.Memory)]
[TestFixture(TestStore.Embedded)]
public sealed class ExportPagingTests(TestStore store)
{
    [Test]
    public async Task An_export_spanning_several_pages_has_every_record_once_in_order()
    {
        await using var app = await Shaped.StartAsync(store);
        const int count = 1234;
        await app.SeedAsync("/books", Enumerable.Range(0, count).Select(i => Shaped.Book($"b{i}", i % 2 == 0 ? "even" : "odd", 1 + (i * 7919) % 1000, "A")));
        var lines = await Shaped.LinesAsync(await app.Client.GetAsync("/books/_export"));
        Assert.That(lines, Has.Count.EqualTo(count));
        var ids = lines.Select(l => l["id"]!.GetValue<string>()).ToList();
        Assert.That(ids, Is.Ordered.Using<string>(StringComparer.Ordinal).And.Unique);
        var even = await Shaped.LinesAsync(await app.Client.GetAsync("/books/_export?genre=even&ordering=-pages"));
        Assert.That(even, Has.Count.EqualTo(count / 2));
        Assert.That(even.Select(l => l["pages"]!.GetValue<int>()), Is.Ordered.Descending);
    }
}
