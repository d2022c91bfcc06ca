using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LightS3.OpenApi;
using LightS3.Tests.Support;
using LightS3.Yaml;
using LightS3.Yaml.Config;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LightS3.Tests.OpenApi;

/// <summary>What the document says about the models: schemas, parameters, headers, security; and how it is served.</summary>
public class DocumentTests
{
    private TestApp _app = null!;
    private JsonObject _doc = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _app = await TestApp.StartAsync(TestStore.Memory, a => { OpenApiModels.Register(a); a.UseAuthModule(); }, OpenApiModels.Configure);
        _doc = (JsonObject)JsonNode.Parse(await _app.Client.GetStringAsync("/openapi/v1.json"))!;
    }

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    private JsonNode Schema(string name) => _doc["components"]!["schemas"]![name]!;
    private JsonNode Operation(string path, string method) => _doc["paths"]![path]![method]!;

    [Test]
    public void The_document_is_OpenAPI_3_1_with_operation_ids_equal_to_endpoint_names()
    {
        Assert.That(_doc["openapi"]!.GetValue<string>(), Does.StartWith("3.1"));
        Assert.That(Operation("/books", "get")["operationId"]!.GetValue<string>(), Is.EqualTo("books_list"));
        Assert.That(Operation("/books/{id}", "patch")["operationId"]!.GetValue<string>(), Is.EqualTo("books_partial_update"));
        Assert.That(Operation("/books/{id}", "patch")["tags"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EqualTo(new[] { "books" }));
    }

    [Test]
    public void Field_types_formats_and_constraints_come_from_the_model()
    {
        var book = Schema("Book")["properties"]!;
        Assert.That(book["id"]!["format"]!.GetValue<string>(), Is.EqualTo("uuid"));
        Assert.That(book["id"]!["readOnly"]!.GetValue<bool>(), Is.True);
        Assert.That(book["version"]!["readOnly"]!.GetValue<bool>(), Is.True);
        Assert.That(book["created_at"]!["format"]!.GetValue<string>(), Is.EqualTo("date-time"));
        Assert.That(book["price"]!["format"]!.GetValue<string>(), Is.EqualTo("decimal"));
        Assert.That(book["title"]!["maxLength"]!.GetValue<int>(), Is.EqualTo(100));
        Assert.That(book["isbn"]!["pattern"]!.GetValue<string>(), Is.EqualTo(@"^\d{13}$"));
        Assert.That(book["isbn"]!["type"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EquivalentTo(new[] { "string", "null" }));
        Assert.That(book["pages"]!["minimum"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(book["genre"]!["enum"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EqualTo(new[] { "Fiction", "Science", "History" }));
        var weight = Schema("Checklist")["properties"]!["weight"]!;
        Assert.That((weight["exclusiveMinimum"]!.GetValue<int>(), weight["exclusiveMaximum"]!.GetValue<int>()), Is.EqualTo((0, 100)));
    }

    [Test]
    public void Request_bodies_have_required_lists_defaults_and_the_unknown_field_policy()
    {
        var create = Schema("BookCreate");
        Assert.That(create["required"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EquivalentTo(new[] { "title", "author" }));
        Assert.That(create["properties"]!["in_stock"]!["default"]!.GetValue<bool>(), Is.True);
        Assert.That(create["properties"]!.AsObject().ContainsKey("id"), Is.False, "automatic fields are not in request bodies");
        Assert.That(create["additionalProperties"]!.GetValue<bool>(), Is.False);
        Assert.That(Schema("BookPatch")["required"], Is.Null);
        Assert.That(Schema("BookUpdate")["properties"]!["version"], Is.Not.Null);
        Assert.That(Schema("LenientCreate")["additionalProperties"]?.GetValue<bool>() ?? true, Is.True);
    }

    [Test]
    public void The_serializer_selects_the_fields_of_read_and_write_responses()
    {
        Assert.That(Schema("Secret")["properties"]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "id", "name", "version" }));
        Assert.That(Schema("SecretWriteResponse")["properties"]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "id", "name" }));
        Assert.That(Operation("/secrets", "post")["responses"]!["201"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>(),
            Is.EqualTo("#/components/schemas/SecretWriteResponse"));
    }

    [Test]
    public void List_responses_and_parameters_follow_pagination_and_filtering()
    {
        Assert.That(Schema("BookList")["required"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EqualTo(new[] { "results" }));
        Assert.That(Schema("ProductList")["required"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EquivalentTo(new[] { "count", "pages", "next", "previous", "results" }));
        Assert.That(Schema("ItemList")["required"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EquivalentTo(new[] { "next", "previous", "results" }));
        string[] Names(string path) => Operation(path, "get")["parameters"]?.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToArray() ?? [];
        Assert.That(Names("/books"), Is.EqualTo(new[] { "fields" }), "no filters, no pagination: only the field selection");
        Assert.That(Names("/products"), Does.Contain("price__gte").And.Contain("title__icontains").And.Contain("category").And.Contain("search")
            .And.Contain("ordering").And.Contain("page").And.Contain("page_size").And.Not.Contain("cursor").And.Not.Contain("price__icontains"));
        Assert.That(Names("/items"), Does.Contain("cursor").And.Not.Contain("page"));
        var ordering = Operation("/products", "get")["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "ordering")!;
        Assert.That(ordering["schema"]!["items"]!["enum"]!.AsArray().Select(t => t!.GetValue<string>()), Does.Contain("-price").And.Contain("created_at"));
    }

    [Test]
    public void Headers_are_declared_where_they_are_sent()
    {
        var created = Operation("/books", "post")["responses"]!["201"]!["headers"]!.AsObject();
        Assert.That(created.Select(h => h.Key), Is.EquivalentTo(new[] { "ETag", "Location" }));
        Assert.That(Operation("/books/{id}", "put")["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()), Does.Contain("If-Match"));
        Assert.That(Operation("/books/{id}", "get")["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()), Does.Contain("If-None-Match"));
        Assert.That(Operation("/checklist", "get")["responses"]!["200"]!["headers"]!.AsObject().ContainsKey("X-Cache"), Is.True);
        Assert.That(Operation("/books", "get")["responses"]!["200"]!["headers"], Is.Null, "uncached reads send no X-Cache");
        Assert.That(Operation("/checklist", "get")["responses"]!["429"]!["headers"]!["Retry-After"]!["required"]!.GetValue<bool>(), Is.True);
        Assert.That(Operation("/books", "get")["responses"]!.AsObject().ContainsKey("429"), Is.False, "no rate limit, no 429");
        Assert.That(Operation("/books", "post")["responses"]!["422"]!["content"]!["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>(),
            Is.EqualTo("#/components/schemas/Problem"));
    }

    [Test]
    public void Security_is_applied_per_operation_as_the_permissions_say()
    {
        JsonArray Security(string path, string method) => Operation(path, method)["security"]!.AsArray();
        Assert.That(Security("/articles", "get").Single()!.AsObject(), Is.Empty, "an AllowAny GET needs no credentials");
        Assert.That(Security("/articles", "post").Single()!.AsObject().ContainsKey("bearer"), Is.True);
        Assert.That(Security("/articles/{id}", "delete").Single()!.AsObject().ContainsKey("bearer"), Is.True);
        Assert.That(Operation("/articles/{id}", "delete")["description"]!.GetValue<string>(), Does.Contain("IsAdminUser"));
        Assert.That(Security("/books", "post").Single()!.AsObject(), Is.Empty);
        Assert.That(_doc["components"]!["securitySchemes"]!["bearer"]!["bearerFormat"]!.GetValue<string>(), Is.EqualTo("JWT"));
        Assert.That(Security("/auth/me", "get").Single()!.AsObject().ContainsKey("bearer"), Is.True);
        Assert.That(Operation("/auth/login", "post")["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>(), Does.EndWith("LoginRequest"));
        Assert.That(Operation("/auth/login", "post")["tags"]![0]!.GetValue<string>(), Is.EqualTo("auth"));
    }

    [Test]
    public void Schemas_inferred_from_the_untyped_handlers_are_not_left_behind()
    {
        var names = _doc["components"]!["schemas"]!.AsObject().Select(s => s.Key).ToList();
        Assert.That(names, Does.Not.Contain("JsonObject").And.Not.Contain("ProblemDetails").And.Not.Contain("HttpValidationProblemDetails"));
    }

    [Test]
    public async Task The_document_is_generated_once_and_then_served_from_memory()
    {
        var cache = _app.App.Services.GetRequiredService<OpenApiDocumentCache>();
        var before = cache.Generations;
        for (var i = 0; i < 5; i++) Assert.That((int)(await _app.Client.GetAsync("/openapi/v1.json")).StatusCode, Is.EqualTo(200));
        Assert.That(cache.Generations, Is.EqualTo(before));
        Assert.That(before, Is.EqualTo(1));
    }

    [Test]
    public async Task The_docs_page_is_served_from_embedded_assets_with_no_external_url()
    {
        var html = await _app.Client.GetStringAsync("/docs");
        Assert.That(html, Does.Contain("scalar.js"));
        Assert.That(html, Does.Not.Match("(?i)(src|href)\\s*=\\s*\"(https?:)?//"), "no script, style or font from another origin");
        Assert.That(html, Does.Not.Contain("cdn.jsdelivr").And.Not.Contain("fonts.scalar.com").And.Not.Contain("fonts.googleapis"));
        Assert.That(html, Does.Contain("\"withDefaultFonts\":false"));
        var script = await _app.Client.GetAsync("/docs/scalar.js");
        Assert.That((int)script.StatusCode, Is.EqualTo(200), "the bundle is served by the app itself");
    }

    [Test]
    public async Task The_document_and_docs_can_be_moved_or_switched_off()
    {
        await using var moved = await TestApp.StartAsync(TestStore.Memory, a => a.Register<BookEndpoint>("/books"), o =>
        {
            o.OpenApi.Path = "/api/spec.json";
            o.OpenApi.DocsPath = null;
            o.OpenApi.Title = "Shelf";
        });
        Assert.That((await moved.Client.GetFromJsonAsync<JsonObject>("/api/spec.json"))!["info"]!["title"]!.GetValue<string>(), Is.EqualTo("Shelf"));
        Assert.That((int)(await moved.Client.GetAsync("/openapi/v1.json")).StatusCode, Is.EqualTo(404));
        Assert.That((int)(await moved.Client.GetAsync("/docs")).StatusCode, Is.EqualTo(404));
        await using var off = await TestApp.StartAsync(TestStore.Memory, a => a.Register<BookEndpoint>("/books"), o => o.OpenApi.Enabled = false);
        Assert.That((int)(await off.Client.GetAsync("/openapi/v1.json")).StatusCode, Is.EqualTo(404));
    }

    [TestCase("false", false, "/openapi/v1.json")]
    [TestCase("off", false, "/openapi/v1.json")]
    [TestCase("true", true, "/openapi/v1.json")]
    [TestCase("/spec.json", true, "/spec.json")]
    public void LIGHTS3_OPENAPI_switches_or_moves_the_document(string value, bool enabled, string path)
    {
        var settings = new OpenApiSettings();
        settings.ApplyVariable(value);
        Assert.That((settings.Enabled, settings.Path), Is.EqualTo((enabled, path)));
    }

    [Test]
    public void LIGHTS3_OPENAPI_with_a_bad_value_is_a_configuration_error() =>
        Assert.Throws<LightS3.Model.ConfigurationException>(() => new OpenApiSettings().ApplyVariable("maybe"));

    private const string Yaml = """
        storage: { url: "memory:" }
        openapi: { path: /spec/v2.json, title: Catalogue, version: "2.0.0", docs: false }
        endpoints:
          - route: /products
            description: Everything we sell.
            fields:
              name: { type: str, min_length: 1 }
        """;

    [Test]
    public async Task YAML_openapi_and_description_keys_shape_the_document()
    {
        await using var app = YamlApp.Build(YamlConfigReader.Read(Yaml, "api.yaml", _ => null), [], b =>
        {
            b.WebHost.UseUrls("http://127.0.0.1:0");
            b.Logging.ClearProviders();
        });
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls[0]) };
        var doc = (await client.GetFromJsonAsync<JsonObject>("/spec/v2.json"))!;
        Assert.That(doc["info"]!["title"]!.GetValue<string>(), Is.EqualTo("Catalogue"));
        Assert.That(doc["info"]!["version"]!.GetValue<string>(), Is.EqualTo("2.0.0"));
        Assert.That(doc["tags"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == "products")!["description"]!.GetValue<string>(), Is.EqualTo("Everything we sell."));
        Assert.That((int)(await client.GetAsync("/docs")).StatusCode, Is.EqualTo(404));
        await app.StopAsync();
    }

    [TestCase("openapi: false", false)]
    [TestCase("openapi: true", true)]
    public void YAML_openapi_takes_a_boolean(string line, bool enabled)
    {
        var config = YamlConfigReader.Read(line + "\nendpoints:\n  - route: /a\n    fields: { n: { type: str } }\n", "api.yaml", _ => null);
        var options = new LightS3Options();
        config.ApplyOpenApiTo(options);
        Assert.That(options.OpenApi.Enabled, Is.EqualTo(enabled));
    }

    [Test]
    public void YAML_openapi_paths_must_start_with_a_slash()
    {
        var e = Assert.Throws<LightS3.Model.ConfigurationException>(() =>
            YamlConfigReader.Read("openapi: { path: spec.json }\nendpoints:\n  - route: /a\n    fields: { n: { type: str } }\n", "api.yaml", _ => null));
        Assert.That(e!.Message, Does.Contain("openapi.path"));
    }

    [Test]
    public void A_class_XML_summary_can_describe_its_tag() =>
        Assert.That(XmlDocs.Summary(typeof(LightS3Options)), Does.StartWith("LightS3's settings"));
}
