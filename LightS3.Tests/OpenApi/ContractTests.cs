using System.Text.Json.Nodes;
using LightS3.Tests.Support;

namespace LightS3.Tests.OpenApi;

/// <summary>
/// Every operation of the document, exercised for real on each store: each response — success and error — has a declared
/// status, content type, required headers and a body that validates against the declared schema.
/// </summary>
[TestFixture(TestStore.Memory)]
[TestFixture(TestStore.S3, Category = External.Category)]
public class ContractTests(TestStore store)
{
    private static readonly object ValidBook = new { title = "Dune", author = "Herbert", isbn = "9780441013593", price = 9.99m, pages = 412, genre = "Science" };

    [Test]
    public async Task Every_operation_answers_as_the_document_declares()
    {
        await using var app = await TestApp.StartAsync(store, a => { OpenApiModels.Register(a); a.UseAuthModule(); }, OpenApiModels.Configure);
        var document = (JsonObject)JsonNode.Parse(await app.Client.GetStringAsync("/openapi/v1.json"))!;
        var c = new ContractClient(app.Client, document);
        var user = Tokens.Create("alice");
        var admin = Tokens.Create("root", admin: true);
        var missing = Guid.CreateVersion7().ToString();

        // books: every verb, every error a client can cause
        var (created, book) = await c.SendAsync(HttpMethod.Post, "/books", "/books", 201, ValidBook);
        var id = book!["id"]!.GetValue<string>();
        var etag = created.Headers.ETag!.ToString();
        await c.SendAsync(HttpMethod.Post, "/books", "/books", 409, ValidBook);
        await c.SendAsync(HttpMethod.Post, "/books", "/books", 422, new { title = "", author = "x", pages = 0, colour = "red" });
        await c.SendAsync(HttpMethod.Post, "/books", "/books", 400, "{not json");
        await c.SendAsync(HttpMethod.Post, "/books", "/books", 415, null, adjust: r => r.Content = new StringContent("x", System.Text.Encoding.UTF8, "text/plain"));
        await c.SendAsync(HttpMethod.Post, "/books", "/books", 201, new { title = "Minimal", author = "A" });
        await c.SendAsync(HttpMethod.Get, "/books", "/books", 200);
        await c.SendAsync(HttpMethod.Get, "/books?colour=red", "/books", 400);
        await c.SendAsync(HttpMethod.Get, $"/books/{id}", "/books/{id}", 200);
        // a projection follows the schema its `fields` parameter names, which the record schema would refuse (required members missing)
        var (_, projected) = await c.SendAsync(HttpMethod.Get, $"/books/{id}?fields=id,title", "/books/{id}", 200);
        Assert.That(new SchemaValidator(document).Validate(new SchemaValidator(document).Component("Book"), projected), Is.Not.Empty, "a projection is not a whole Book");
        await c.SendAsync(HttpMethod.Get, "/books?fields=title", "/books", 200);
        await c.SendAsync(HttpMethod.Get, $"/books/{id}", "/books/{id}", 304, adjust: r => r.Headers.TryAddWithoutValidation("If-None-Match", etag));
        await c.SendAsync(HttpMethod.Get, $"/books/{missing}", "/books/{id}", 404);
        var (_, replaced) = await c.SendAsync(HttpMethod.Put, $"/books/{id}", "/books/{id}", 200, new { title = "Dune", author = "Frank Herbert", isbn = "9780441013593", version = 1 });
        await c.SendAsync(HttpMethod.Put, $"/books/{id}", "/books/{id}", 409, new { title = "Dune", author = "F", version = 1 });
        await c.SendAsync(HttpMethod.Put, $"/books/{id}", "/books/{id}", 422, new { title = "Dune", author = "F" });
        await c.SendAsync(HttpMethod.Put, $"/books/{missing}", "/books/{id}", 404, new { title = "Dune", author = "F", version = 1 });
        await c.SendAsync(HttpMethod.Patch, $"/books/{id}", "/books/{id}", 200, new { price = "12.50", version = replaced!["version"]!.GetValue<long>() });
        await c.SendAsync(HttpMethod.Patch, $"/books/{id}", "/books/{id}", 409, new { price = 1 }, adjust: r => r.Headers.TryAddWithoutValidation("If-Match", etag));
        await c.SendAsync(HttpMethod.Patch, $"/books/{id}", "/books/{id}", 422, new { pages = "many", version = 3 });
        await c.SendAsync(HttpMethod.Delete, $"/books/{id}", "/books/{id}", 409, adjust: r => r.Headers.TryAddWithoutValidation("If-Match", etag));
        await c.SendAsync(HttpMethod.Delete, $"/books/{id}", "/books/{id}", 204);
        await c.SendAsync(HttpMethod.Delete, $"/books/{id}", "/books/{id}", 404);

        // page-number and cursor pagination, filters, search and ordering
        foreach (var (title, price) in new[] { ("A", 3m), ("B", 1m), ("C", 2m) })
        {
            await c.SendAsync(HttpMethod.Post, "/products", "/products", 201, new { title, author = "x", category = "tools", price, published = true });
            await c.SendAsync(HttpMethod.Post, "/items", "/items", 201, new { title, author = "x", category = "tools", price, published = false });
        }
        await c.SendAsync(HttpMethod.Get, "/products?page=1&page_size=2&ordering=-price&category=tools&price__gte=1&title__icontains=a&search=a", "/products", 200);
        await c.SendAsync(HttpMethod.Get, "/products?page=2&page_size=2", "/products", 200);
        await c.SendAsync(HttpMethod.Get, "/products?page=abc", "/products", 400);
        var (_, first) = await c.SendAsync(HttpMethod.Get, "/items?page_size=1&ordering=price&stock__isnull=true", "/items", 200);
        var next = first!["next"]!.GetValue<string>();
        await c.SendAsync(HttpMethod.Get, $"/items?page_size=1&ordering=price&stock__isnull=true&cursor={Uri.EscapeDataString(next)}", "/items", 200);
        await c.SendAsync(HttpMethod.Get, "/items?cursor=garbage", "/items", 400);
        var (_, item) = await c.SendAsync(HttpMethod.Get, "/items?page_size=1", "/items", 200);
        var itemId = item!["results"]![0]!["id"]!.GetValue<string>();
        await c.SendAsync(HttpMethod.Get, $"/items/{itemId}", "/items/{id}", 200);
        await c.SendAsync(HttpMethod.Put, $"/items/{itemId}", "/items/{id}", 200, new { title = "Z", author = "x", category = "c", price = 5, published = true, version = 1 });
        await c.SendAsync(HttpMethod.Patch, $"/items/{itemId}", "/items/{id}", 200, new { stock = 3, version = 2 });
        await c.SendAsync(HttpMethod.Delete, $"/items/{itemId}", "/items/{id}", 204);

        // a serializer: reads and writes show different fields
        var (_, secret) = await c.SendAsync(HttpMethod.Post, "/secrets", "/secrets", 201, new { name = "n", internal_code = "x" });
        var secretId = secret!["id"]!.GetValue<string>();
        await c.SendAsync(HttpMethod.Get, "/secrets", "/secrets", 200);
        await c.SendAsync(HttpMethod.Get, $"/secrets/{secretId}", "/secrets/{id}", 200);
        await c.SendAsync(HttpMethod.Patch, $"/secrets/{secretId}", "/secrets/{id}", 200, new { name = "m", version = 1 });

        // permissions: open reads, authenticated writes, admin deletes
        await c.SendAsync(HttpMethod.Get, "/articles", "/articles", 200);
        await c.SendAsync(HttpMethod.Post, "/articles", "/articles", 401, new { title = "t" });
        await c.SendAsync(HttpMethod.Get, "/articles", "/articles", 401, token: "not-a-jwt");
        var (_, article) = await c.SendAsync(HttpMethod.Post, "/articles", "/articles", 201, new { title = "t" }, token: user);
        var articleId = article!["id"]!.GetValue<string>();
        await c.SendAsync(HttpMethod.Delete, $"/articles/{articleId}", "/articles/{id}", 403, token: user);
        await c.SendAsync(HttpMethod.Delete, $"/articles/{articleId}", "/articles/{id}", 204, token: admin);

        // unknown properties ignored; read-only endpoint; cached reads; rate limit
        await c.SendAsync(HttpMethod.Post, "/lenient", "/lenient", 201, new { name = "n", extra = 1 });
        await c.SendAsync(HttpMethod.Get, "/readonly", "/readonly", 200);
        await c.SendAsync(HttpMethod.Post, "/readonly", "/readonly", 405, new { name = "n" });
        await c.SendAsync(HttpMethod.Delete, $"/readonly/{missing}", "/readonly/{id}", 405);
        await c.SendAsync(HttpMethod.Get, $"/readonly/{missing}", "/readonly/{id}", 404);
        var readonlyId = (await app.SeedAsync("/readonly", [new { name = "seeded" }]))[0];
        await c.SendAsync(HttpMethod.Get, $"/readonly/{readonlyId}", "/readonly/{id}", 200);
        var (_, check) = await c.SendAsync(HttpMethod.Post, "/checklist", "/checklist", 201, new { label = "milk", done = false, weight = 0.5 });
        await c.SendAsync(HttpMethod.Get, "/checklist?search=mil&ordering=label,-created_at&done=false", "/checklist", 200);
        var (cachedAgain, _) = await c.SendAsync(HttpMethod.Get, "/checklist?search=mil&ordering=label,-created_at&done=false", "/checklist", 200);
        Assert.That(cachedAgain.Headers.GetValues("X-Cache"), Does.Contain("HIT"));
        await c.SendAsync(HttpMethod.Get, $"/checklist/{check!["id"]}", "/checklist/{id}", 200);
        await c.SendAsync(HttpMethod.Post, "/checklist", "/checklist", 422, new { label = "x", done = true, weight = 100 });
        var limitedId = (await app.SeedAsync("/limited", [new { name = "seeded" }]))[0];
        await c.SendAsync(HttpMethod.Get, $"/limited/{limitedId}", "/limited/{id}", 200);
        await c.SendAsync(HttpMethod.Get, "/limited", "/limited", 200);
        await c.SendAsync(HttpMethod.Get, "/limited/_export", "/limited/_export", 200); // an export counts against the endpoint's limit too
        await c.SendAsync(HttpMethod.Get, "/limited", "/limited", 429);

        // the auth module
        await c.SendAsync(HttpMethod.Post, "/auth/register", "/auth/register", 201, new { username = "bob", email = "bob@example.test", password = "correct horse 42" });
        await c.SendAsync(HttpMethod.Post, "/auth/register", "/auth/register", 422, new { username = "eve", email = "eve@example.test", password = "short" });
        var (_, pair) = await c.SendAsync(HttpMethod.Post, "/auth/login", "/auth/login", 200, new { username = "bob", password = "correct horse 42" });
        await c.SendAsync(HttpMethod.Post, "/auth/login", "/auth/login", 401, new { username = "bob", password = "wrong password 42" });
        await c.SendAsync(HttpMethod.Get, "/auth/me", "/auth/me", 200, token: pair!["access_token"]!.GetValue<string>());
        await c.SendAsync(HttpMethod.Get, "/auth/me", "/auth/me", 401);
        var (_, fresh) = await c.SendAsync(HttpMethod.Post, "/auth/refresh", "/auth/refresh", 200, new { refresh_token = pair["refresh_token"]!.GetValue<string>() });
        await c.SendAsync(HttpMethod.Post, "/auth/logout", "/auth/logout", 204, new { refresh_token = fresh!["refresh_token"]!.GetValue<string>() });
        var (_, bobs) = await c.SendAsync(HttpMethod.Post, "/auth/login", "/auth/login", 200, new { username = "bob", password = "correct horse 42" });
        var bobsToken = bobs!["access_token"]!.GetValue<string>();
        await c.SendAsync(HttpMethod.Post, "/auth/password", "/auth/password", 403, new { current_password = "wrong password 42", new_password = "battery staple 77" }, token: bobsToken);
        await c.SendAsync(HttpMethod.Post, "/auth/password", "/auth/password", 200, new { current_password = "correct horse 42", new_password = "battery staple 77" }, token: bobsToken);

        // the full round on the other endpoints
        await Crud(c, "/products", new { title = "P", author = "a", category = "c", price = 1, published = true }, new { title = "Q", author = "a", category = "c", price = 2, published = false });
        await Crud(c, "/secrets", new { name = "s", internal_code = "c" }, new { name = "t", internal_code = "d" });
        await Crud(c, "/articles", new { title = "a" }, new { title = "b" }, admin);
        await Crud(c, "/lenient", new { name = "l" }, new { name = "m", unknown = true });
        await Crud(c, "/checklist", new { label = "eggs", done = false }, new { label = "eggs", done = true, weight = 99.5 });

        // bulk writes and exports: a mixed bulk, its errors, both export formats, then every collection's pair
        static HttpContent Ndjson(string text) => new StringContent(text, System.Text.Encoding.UTF8, "application/x-ndjson");
        await c.SendAsync(HttpMethod.Post, "/books/_bulk", "/books/_bulk", 200, adjust: r => r.Content = Ndjson("{\"title\":\"Bulk\",\"author\":\"B\"}\n{\"title\":\"\"}\n{bad\n"));
        await c.SendAsync(HttpMethod.Post, "/books/_bulk", "/books/_bulk", 415, "{}");
        await c.SendAsync(HttpMethod.Post, "/books/_bulk", "/books/_bulk", 400, adjust: r => { r.Content = Ndjson("\n"); r.Headers.Add("Idempotency-Key", new string('k', 300)); });
        await c.SendAsync(HttpMethod.Post, "/books", "/books", 201, new { title = "Keyed", author = "K" }, adjust: r => r.Headers.Add("Idempotency-Key", "contract-1"));
        await c.SendAsync(HttpMethod.Get, "/books/_export?fields=title,author", "/books/_export", 200);
        await c.SendAsync(HttpMethod.Get, "/books/_export?format=csv", "/books/_export", 200);
        await c.SendAsync(HttpMethod.Get, "/books/_export?format=xml", "/books/_export", 400);
        foreach (var path in document["paths"]!.AsObject().Select(p => p.Key))
        {
            if (path.EndsWith("/_export", StringComparison.Ordinal) && path != "/limited/_export") await c.SendAsync(HttpMethod.Get, path, path, 200, token: admin);
            if (path.EndsWith("/_bulk", StringComparison.Ordinal)) await c.SendAsync(HttpMethod.Post, path, path, 200, token: admin, adjust: r => r.Content = Ndjson("\n"));
        }

        // the admin reindex of the indexed collections: refused, started, followed to the end
        foreach (var route in new[] { "/products", "/items" })
        {
            var template = $"{route}/_reindex";
            await c.SendAsync(HttpMethod.Post, template, template, 401);
            await c.SendAsync(HttpMethod.Post, template, template, 403, token: user);
            await c.SendAsync(HttpMethod.Get, template, template, 403, token: user);
            await c.SendAsync(HttpMethod.Post, template, template, 202, token: admin);
            JsonNode? status;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            do (_, status) = await c.SendAsync(HttpMethod.Get, template, template, 200, token: admin);
            while (status!["status"]!.GetValue<string>() == "running" && DateTime.UtcNow < deadline && await Task.Delay(50).ContinueWith(_ => true));
            Assert.That(status["status"]!.GetValue<string>(), Is.EqualTo("done"), status.ToJsonString());
        }

        var operations = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Where(m => m.Value is JsonObject o && o.ContainsKey("operationId")).Select(m => m.Value!["operationId"]!.GetValue<string>()))
            .Where(o => !o.StartsWith("auth_", StringComparison.Ordinal) || o is "auth_register" or "auth_login" or "auth_refresh" or "auth_logout" or "auth_me")
            .ToList();
        var succeeded = c.Seen.Where(s => s.Status is >= 200 and < 300).Select(s => s.OperationId).ToHashSet();
        Assert.That(operations.Where(o => !succeeded.Contains(o)), Is.Empty, "operations never exercised successfully");
    }

    /// <summary>Create, list, retrieve, replace, patch and delete one record of <paramref name="route"/>.</summary>
    private static async Task Crud(ContractClient c, string route, object create, object update, string? token = null)
    {
        var (_, record) = await c.SendAsync(HttpMethod.Post, route, route, 201, create, token);
        var id = record!["id"]!.GetValue<string>();
        var item = $"{route}/{{id}}";
        await c.SendAsync(HttpMethod.Get, route, route, 200, token: token);
        await c.SendAsync(HttpMethod.Get, $"{route}/{id}", item, 200, token: token);
        var body = System.Text.Json.JsonSerializer.SerializeToNode(update)!.AsObject();
        body["version"] = 1;
        await c.SendAsync(HttpMethod.Put, $"{route}/{id}", item, 200, body.ToJsonString(), token);
        body["version"] = 2;
        await c.SendAsync(HttpMethod.Patch, $"{route}/{id}", item, 200, body.ToJsonString(), token);
        await c.SendAsync(HttpMethod.Delete, $"{route}/{id}", item, 204, token: token);
    }
}
