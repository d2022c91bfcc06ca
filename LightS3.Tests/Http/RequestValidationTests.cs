using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LightS3.Storage;
using LightS3.Tests.Support;

namespace LightS3.Tests.Http;

/// <summary>Bad input gets a clear 4xx problem response and never touches data it should not.</summary>
public sealed class RequestValidationTests
{
    private TestApp _app = null!;

    [OneTimeSetUp]
    public async Task Start() => _app = await TestApp.StartAsync(TestStore.Memory, app =>
    {
        app.Register<BookEndpoint>("/books");
        app.Register<ReadOnlyEndpoint>("/readonly");
        app.Register<AppendOnlyEndpoint>("/log");
        app.Register<LenientEndpoint>("/lenient");
    }, o => o.MaxBodyBytes = 4096);

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    private Task<HttpResponseMessage> PostRaw(string path, string body, string contentType = "application/json") =>
        _app.Client.PostAsync(path, new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue(contentType)));

    [Test]
    public async Task Every_failing_field_is_listed_in_one_422()
    {
        var response = await _app.PostAsync("/books", new { title = "", price = 1.234, pages = 0, in_stock = "yes", genre = "poetry", extra = 1 });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        var body = await response.JsonAsync();
        var errors = body["errors"]!.AsObject();
        Assert.That(body["detail"]!.GetValue<string>(), Is.EqualTo("validation failed"));
        Assert.That(errors.Select(e => e.Key), Is.EquivalentTo(new[] { "title", "author", "price", "pages", "in_stock", "genre", "extra" }));
        Assert.That(errors["author"]![0]!.GetValue<string>(), Is.EqualTo("is required"));
        Assert.That(errors["price"]![0]!.GetValue<string>(), Does.Contain("2 decimal places"));
        Assert.That(errors["extra"]![0]!.GetValue<string>(), Does.Contain("not a field"));
    }

    [TestCase("{\"title\": 5, \"author\": \"a\"}", "title")]
    [TestCase("{\"title\": \"t\", \"author\": \"a\", \"pages\": 1.5}", "pages")]
    [TestCase("{\"title\": \"t\", \"author\": \"a\", \"pages\": 3000000000}", "pages")]
    [TestCase("{\"title\": \"t\", \"author\": \"a\", \"published_at\": \"yesterday\"}", "published_at")]
    [TestCase("{\"title\": \"t\", \"author\": \"a\", \"ref\": \"not-a-uuid\"}", "ref")]
    [TestCase("{\"title\": \"t\", \"author\": \"a\", \"isbn\": \"123\"}", "isbn")]
    [TestCase("{\"title\": \"t\", \"author\": null}", "author")]
    [TestCase("{\"title\": [\"t\"], \"author\": \"a\"}", "title")]
    public async Task A_wrongly_typed_or_constrained_value_is_422_naming_the_field(string json, string field)
    {
        var response = await PostRaw("/books", json);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That((await response.JsonAsync())["errors"]![field], Is.Not.Null);
    }

    [TestCase("{\"title\": ", "malformed JSON at line 1, column 11: the text ends before the JSON value does")]
    [TestCase("not json", "malformed JSON at line 1, column 2: this is not valid JSON (check quotes, commas and brackets)")]
    [TestCase("{\"title\": \"a\", \"title\": \"b\"}", "malformed JSON: a property name appears twice in one object")]
    [TestCase("{\"title\": \"a\"} x", "malformed JSON at line 1, column 16: there is more text after the JSON value")]
    [TestCase("{\"title\":\n [1, 2,]}", "malformed JSON at line 2, column 8: a comma right before a closing bracket")]
    [TestCase("{\"a\":" + "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
        "malformed JSON at line 1, column 69: nested too deeply (at most 64 levels)")]
    public async Task Malformed_json_is_400_with_a_detail_saying_where_in_the_clients_terms(string json, string detail)
    {
        var response = await PostRaw("/books", json);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var text = (await response.JsonAsync())["detail"]!.GetValue<string>();
        Assert.That(text, Does.Not.Contain("BytePositionInLine").And.Not.Contain("System.").And.Not.Contain("LineNumber:"), "no .NET parser message");
        Assert.That(text, Is.EqualTo(detail));
    }

    [TestCase("[1, 2]")]
    [TestCase("\"text\"")]
    [TestCase("null")]
    public async Task A_body_that_is_not_an_object_is_422(string json)
    {
        Assert.That(await PostRaw("/books", json).StatusAsync(), Is.EqualTo(422));
    }

    [Test]
    public async Task An_empty_body_is_400()
    {
        Assert.That(await PostRaw("/books", "").StatusAsync(), Is.EqualTo(400));
    }

    [TestCase("text/plain")]
    [TestCase("application/xml")]
    [TestCase("application/x-www-form-urlencoded")]
    public async Task A_wrong_content_type_is_415(string contentType)
    {
        Assert.That(await PostRaw("/books", "{\"title\":\"t\",\"author\":\"a\"}", contentType).StatusAsync(), Is.EqualTo(415));
    }

    [Test]
    public async Task A_json_suffix_content_type_is_accepted()
    {
        Assert.That(await PostRaw("/books", "{\"title\":\"t\",\"author\":\"a\"}", "application/merge-patch+json").StatusAsync(), Is.EqualTo(201));
    }

    [Test]
    public async Task A_body_over_the_limit_is_413_with_or_without_content_length()
    {
        var big = "{\"title\":\"" + new string('x', 5000) + "\",\"author\":\"a\"}";
        Assert.That(await PostRaw("/books", big).StatusAsync(), Is.EqualTo(413));
        var chunked = new HttpRequestMessage(HttpMethod.Post, "/books")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big))),
        };
        chunked.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        chunked.Headers.TransferEncodingChunked = true;
        Assert.That(await _app.Client.SendAsync(chunked).StatusAsync(), Is.EqualTo(413));
    }

    [TestCase("..%2F..%2Fsecret")]
    [TestCase("not-a-uuid")]
    [TestCase("0190b3f5-3c41-7d2b-9c3e-1f2a3b4c5d6e0000000000000000000000000000")]
    [TestCase("%2e%2e")]
    public async Task An_invalid_id_is_404_without_touching_storage(string id)
    {
        var before = _app.Counter.Snapshot();
        Assert.That(await _app.Client.GetAsync($"/books/{id}").StatusAsync(), Is.EqualTo(404));
        Assert.That(await _app.SendAsync(HttpMethod.Delete, $"/books/{id}").StatusAsync(), Is.EqualTo(404));
        Assert.That(_app.Counter.Snapshot().Minus(before).Total, Is.Zero);
    }

    [Test]
    public async Task A_disabled_verb_is_405_with_an_allow_header()
    {
        var post = await _app.PostAsync("/readonly", new { name = "x" });
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(post.Content.Headers.Allow, Is.EquivalentTo(new[] { "GET" }));
        Assert.That((await post.JsonAsync())["detail"]!.GetValue<string>(), Is.EqualTo("Method Not Allowed. Allowed: GET"));

        var id = (await _app.CreateAsync("/log", new { name = "x" }))["id"]!.GetValue<string>();
        var delete = await _app.SendAsync(HttpMethod.Delete, $"/log/{id}");
        Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(delete.Content.Headers.Allow, Is.EquivalentTo(new[] { "GET" }));
        Assert.That(await _app.Client.GetAsync($"/log/{id}").StatusAsync(), Is.EqualTo(200), "nothing was deleted");
    }

    [Test]
    public async Task Item_verbs_on_the_collection_and_post_on_an_item_are_405()
    {
        var put = await _app.SendAsync(HttpMethod.Put, "/books", new { });
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(put.Content.Headers.Allow, Is.EquivalentTo(new[] { "GET", "POST" }));
        var post = await _app.PostAsync($"/books/{Guid.CreateVersion7()}", new { });
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(post.Content.Headers.Allow, Is.EquivalentTo(new[] { "GET", "PUT", "PATCH", "DELETE" }));
    }

    [Test]
    public async Task Unknown_properties_can_be_ignored_per_endpoint()
    {
        var created = await _app.CreateAsync("/lenient", new { name = "x", whatever = 1 });
        Assert.That(created.ContainsKey("whatever"), Is.False);
    }

    [Test]
    public async Task An_unknown_route_is_a_404_problem()
    {
        var response = await _app.Client.GetAsync("/nowhere");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task The_store_request_count_header_is_off_by_default()
    {
        var response = await _app.PostAsync("/books", new { title = "t", author = "a" });
        Assert.That(response.Headers.Contains("X-LightS3-Store-Requests"), Is.False);
    }

    [Test]
    public async Task With_the_diagnostics_option_every_response_reports_its_store_request_count()
    {
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<BookEndpoint>("/books"), o => o.StoreRequestHeader = true);
        var response = await app.PostAsync("/books", new { title = "t", author = "a" });
        Assert.That(response.Headers.GetValues("X-LightS3-Store-Requests").Single(), Is.EqualTo("1"));
        _ = StoreOperation.Put;
    }
}

/// <summary>Objects written by someone else that are not JSON objects.</summary>
public sealed class CorruptRecordTests
{
    [Test]
    public async Task A_corrupt_stored_object_is_a_502_on_retrieve_and_skipped_in_lists()
    {
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<LenientEndpoint>("/items"));
        var good = (await app.CreateAsync("/items", new { name = "ok" }))["id"]!.GetValue<string>();
        var bad = LightS3.Documents.RecordIds.New();
        await app.ObjectStore.PutAsync($"items/records/{bad}.json", Encoding.UTF8.GetBytes("{\"id\": \"x\", oops"), WriteCondition.None);

        var get = await app.Client.GetAsync($"/items/{bad}");
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        Assert.That((await get.JsonAsync())["detail"]!.GetValue<string>(), Does.Contain("unreadable"));
        var list = await (await app.Client.GetAsync("/items")).JsonAsync();
        Assert.That(list["results"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()), Is.EqualTo(new[] { good }));
    }
}
