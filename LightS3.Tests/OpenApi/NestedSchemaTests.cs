using System.Text.Json.Nodes;
using LightS3.Tests.Support;

namespace LightS3.Tests.OpenApi;

/// <summary>Object, list, map and json fields in the OpenAPI document: nested schemas that real responses satisfy, and a clean lint.</summary>
[TestFixture(Front.CSharp)]
[TestFixture(Front.Yaml)]
public sealed class NestedSchemaTests(Front front)
{
    private TestApp _app = null!;
    private JsonObject _doc = null!;
    private string _json = "";

    [OneTimeSetUp]
    public async Task Start()
    {
        _app = await TestApp.StartAsync(TestStore.Memory, a => Orders.Register(a, front));
        _json = await _app.Client.GetStringAsync("/openapi/v1.json");
        _doc = (JsonObject)JsonNode.Parse(_json)!;
    }

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    private JsonNode Referenced(JsonNode? reference) =>
        new SchemaValidator(_doc).Component(reference!["$ref"]!.GetValue<string>().Split('/')[^1]);

    private JsonNode Body(string path, string method) =>
        Referenced(_doc["paths"]![path]![method]!["requestBody"]!["content"]!["application/json"]!["schema"]);

    [Test]
    public void Nested_fields_have_nested_schemas_with_their_constraints()
    {
        var create = Body("/orders", "post")["properties"]!;
        var address = create["address"]!;
        Assert.That(address["type"]!.GetValue<string>(), Is.EqualTo("object"));
        Assert.That(address["properties"]!["zip"]!["pattern"]!.GetValue<string>(), Is.EqualTo("^[0-9]{5}$"));
        Assert.That(address["properties"]!["country"]!["default"]!.GetValue<string>(), Is.EqualTo("FR"));
        Assert.That(address["required"]!.AsArray().Select(n => n!.GetValue<string>()), Is.EqualTo(new[] { "city" }));
        var tags = create["tags"]!;
        Assert.That((tags["type"]!.GetValue<string>(), tags["maxItems"]!.GetValue<int>(), tags["uniqueItems"]!.GetValue<bool>(), tags["items"]!["maxLength"]!.GetValue<int>()),
            Is.EqualTo(("array", 5, true, 20)));
        Assert.That(create["lines"]!["items"]!["properties"]!["qty"]!["minimum"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(create["prices"]!["additionalProperties"]!["format"]!.GetValue<string>(), Is.EqualTo("decimal"));
        Assert.That(create["extra"]!["type"], Is.Null, "json takes any value");

        var patch = Body("/orders/{id}", "patch")["properties"]!;
        Assert.That(patch["address"]!["required"], Is.Null, "a merge patch may send any subset of an object");
        Assert.That(patch["address"]!["description"]!.GetValue<string>(), Does.Contain("RFC 7386"));
        Assert.That(patch["address"]!["properties"]!["city"]!["type"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EquivalentTo(new[] { "string", "null" }),
            "null removes a member in a merge patch");
        Assert.That(create["address"]!["properties"]!["city"]!["type"]!.GetValue<string>(), Is.EqualTo("string"));
    }

    [Test]
    public void List_filters_are_documented_as_contains_and_overlaps()
    {
        var names = _doc["paths"]!["/orders"]!["get"]!["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToList();
        Assert.That(names, Does.Contain("tags__contains").And.Contain("tags__overlaps").And.Contain("address.zip__startswith"));
        Assert.That(names, Does.Not.Contain("tags").And.Not.Contain("tags__startswith"));
    }

    [Test]
    public async Task A_stored_order_satisfies_its_read_schema()
    {
        var order = await _app.CreateAsync("/orders", Orders.Body());
        var validator = new SchemaValidator(_doc);
        var read = Referenced(_doc["paths"]!["/orders/{id}"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]);
        Assert.That(validator.Validate(read, order), Is.Empty);
        order["address"]!["zip"] = 75001;
        Assert.That(validator.Validate(read, order), Is.Not.Empty, "the validator does look inside nested objects");
    }

    [Test, Category(External.Category)] // redocly, from the npm tools
    public void The_document_lints_without_errors() => NpmTools.AssertLintsClean(_json, $"nested-{front}");
}
