using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LightS3.Tests.Support;

namespace LightS3.Tests.Documents;

/// <summary>
/// Nested objects, lists, maps and json fields over HTTP: recursive validation with path-keyed errors, defaults at
/// every level, JSON Merge Patch on PATCH and whole replacement on PUT — for the C# class and its YAML twin, on
/// every store.
/// </summary>
[TestFixture(TestStore.Memory, Front.CSharp)]
[TestFixture(TestStore.Memory, Front.Yaml)]
[TestFixture(TestStore.File, Front.CSharp)]
[TestFixture(TestStore.File, Front.Yaml)]
[TestFixture(TestStore.S3, Front.CSharp, Category = External.Category)]
[TestFixture(TestStore.S3, Front.Yaml, Category = External.Category)]
public sealed class NestedDocumentTests(TestStore store, Front front)
{
    private TestApp _app = null!;

    [OneTimeSetUp]
    public async Task Start() => _app = await TestApp.StartAsync(store, a => Orders.Register(a, front));

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    private async Task<JsonObject> Errors(HttpResponseMessage response)
    {
        var body = await response.JsonAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(422), body.ToJsonString());
        return body["errors"]!.AsObject();
    }

    private static HttpContent Json(string json, string mediaType = "application/json") =>
        new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue(mediaType));

    private async Task<JsonObject> Patch(string id, string json, string mediaType = "application/json", int expected = 200)
    {
        var response = await _app.Client.PatchAsync($"/orders/{id}", Json(json, mediaType));
        var body = await response.JsonAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(expected), body.ToJsonString());
        return body;
    }

    [Test]
    public async Task Nested_values_are_stored_canonically_with_defaults_at_every_level()
    {
        var order = await _app.CreateAsync("/orders", Orders.Body());
        Assert.That(order["address"]!.ToJsonString(), Is.EqualTo("""{"city":"Paris","zip":"75001","country":"FR"}"""), "a nested default fills the omitted member");
        Assert.That(order["preferences"]!.ToJsonString(), Is.EqualTo("""{"theme":"light","page_size":10}"""), "an omitted object is built from its members' defaults");
        Assert.That(order["tags"]!.ToJsonString(), Is.EqualTo("""["python","rust"]"""));
        Assert.That(order["lines"]!.ToJsonString(), Is.EqualTo("""[{"sku":"A-1","qty":2}]"""));
        Assert.That(order["prices"]!.ToJsonString(), Is.EqualTo("""{"eur":12.5}"""));
        Assert.That(order["extra"], Is.Null);

        var read = await (await _app.Client.GetAsync($"/orders/{order["id"]}")).JsonAsync();
        Assert.That(read.ToJsonString(), Is.EqualTo(order.ToJsonString()), "GET serves what was stored");

        var bare = await _app.CreateAsync("/orders", new { customer = "bo", address = new { city = "Lyon" }, lines = new[] { new { sku = "x", qty = 1 } } });
        Assert.That((bare["tags"]!.ToJsonString(), bare["prices"]!.ToJsonString()), Is.EqualTo(("[]", "{}")), "omitted lists and maps are stored empty");
    }

    [Test]
    public async Task Every_problem_inside_nested_values_is_reported_under_its_path()
    {
        var errors = await Errors(await _app.Client.PostAsync("/orders", Json("""
            {"customer":"ann",
             "address":{"city":"","zip":"7500","bogus":1},
             "tags":["a","b","this tag is far too long to be kept"],
             "lines":[{"sku":"A","qty":0},{"qty":"two"}],
             "prices":{"eur":1,"usd":-1,"gbp":"x"}}
            """)));
        Assert.That(errors.Select(e => e.Key), Is.EquivalentTo(new[]
        {
            "address.city", "address.zip", "address.bogus", "tags[2]", "lines[0].qty", "lines[1].sku", "lines[1].qty", "prices.usd", "prices.gbp",
        }), errors.ToJsonString());
        Assert.That(errors["address.city"]![0]!.GetValue<string>(), Does.Contain("at least 1 characters"));
        Assert.That(errors["lines[0].qty"]![0]!.GetValue<string>(), Does.Contain("greater than or equal to 1"));
        Assert.That(errors["lines[1].sku"]![0]!.GetValue<string>(), Is.EqualTo("is required"));
        Assert.That(errors["prices.usd"]![0]!.GetValue<string>(), Does.Contain("greater than or equal to 0"));

        var missing = await Errors(await _app.PostAsync("/orders", new { customer = "ann", lines = new[] { new { sku = "x", qty = 1 } } }));
        Assert.That(missing.Select(e => e.Key), Is.EqualTo(new[] { "address" }), "an object with a required member is itself required");

        var shapes = await Errors(await _app.Client.PostAsync("/orders", Json("""{"customer":"a","address":"Paris","tags":"x","lines":{},"prices":[]}""")));
        Assert.That(shapes.ToDictionary(e => e.Key, e => e.Value![0]!.GetValue<string>()), Is.EquivalentTo(new Dictionary<string, string>
        {
            ["address"] = "must be an object", ["tags"] = "must be a list", ["lines"] = "must be a list", ["prices"] = "must be an object (a map of names to values)",
        }));
    }

    [Test]
    public async Task List_item_counts_and_uniqueness_are_enforced()
    {
        var errors = await Errors(await _app.Client.PostAsync("/orders", Json("""
            {"customer":"a","address":{"city":"P"},"tags":["a","b","a","c","d","e"],"lines":[]}
            """)));
        Assert.That(errors["tags"]![0]!.GetValue<string>(), Is.EqualTo("must have at most 5 items"));
        Assert.That(errors["tags[2]"]![0]!.GetValue<string>(), Does.Contain("duplicates item 0"));
        Assert.That(errors["lines"]![0]!.GetValue<string>(), Is.EqualTo("must have at least 1 item"));
    }

    [Test]
    public async Task A_json_field_is_stored_as_given_up_to_its_size_limit()
    {
        const string extra = """{"deep":[1,{"b":null,"c":"text"}],"n":1.50}""";
        var created = await _app.Client.PostAsync("/orders", Json($$$"""{"customer":"a","address":{"city":"P"},"lines":[{"sku":"s","qty":1}],"extra":{{{extra}}}}"""));
        var body = await created.JsonAsync();
        Assert.That((int)created.StatusCode, Is.EqualTo(201), body.ToJsonString());
        Assert.That(body["extra"]!.ToJsonString(), Is.EqualTo(extra));

        var big = new string('x', LightS3.Validation.CompositeValues.MaxJsonBytes);
        var errors = await Errors(await _app.Client.PostAsync("/orders", Json($$$"""{"customer":"a","address":{"city":"P"},"lines":[{"sku":"s","qty":1}],"extra":{"big":"{{{big}}}"}}""")));
        Assert.That(errors["extra"]![0]!.GetValue<string>(), Does.StartWith($"must be at most {LightS3.Validation.CompositeValues.MaxJsonBytes} bytes"));
    }

    [TestCase("application/merge-patch+json")]
    [TestCase("application/json")]
    public async Task Patch_merges_objects_and_maps_and_replaces_lists(string mediaType)
    {
        var id = (await _app.CreateAsync("/orders", Orders.Body()))["id"]!.GetValue<string>();
        var merged = await Patch(id, """{"address":{"city":"Lyon"},"prices":{"usd":3,"eur":null},"tags":["go"],"version":1}""", mediaType);
        Assert.That(merged["address"]!.ToJsonString(), Is.EqualTo("""{"city":"Lyon","zip":"75001","country":"FR"}"""), "unsent members are kept");
        Assert.That(merged["prices"]!.ToJsonString(), Is.EqualTo("""{"usd":3}"""), "null removes a map entry");
        Assert.That(merged["tags"]!.ToJsonString(), Is.EqualTo("""["go"]"""), "a list is replaced whole");
        Assert.That(merged["lines"]!.ToJsonString(), Is.EqualTo("""[{"sku":"A-1","qty":2}]"""), "unsent fields are kept");

        var removed = await Patch(id, """{"address":{"zip":null,"country":"DE"},"version":2}""", mediaType);
        Assert.That(removed["address"]!.ToJsonString(), Is.EqualTo("""{"city":"Lyon","zip":null,"country":"DE"}"""));
        var reset = await Patch(id, """{"address":{"country":null},"version":3}""", mediaType);
        Assert.That(reset["address"]!["country"]!.GetValue<string>(), Is.EqualTo("FR"), "a removed member takes its default again");
    }

    [Test]
    public async Task Patch_merges_into_a_json_object_and_replaces_any_other_json_value()
    {
        var created = await _app.Client.PostAsync("/orders", Json("""{"customer":"a","address":{"city":"P"},"lines":[{"sku":"s","qty":1}],"extra":{"a":1,"b":{"c":2,"d":3}}}"""));
        Assert.That((int)created.StatusCode, Is.EqualTo(201), await created.Content.ReadAsStringAsync());
        var id = (await created.JsonAsync())["id"]!.GetValue<string>();
        var merged = await Patch(id, """{"extra":{"a":null,"b":{"d":4},"e":[1]},"version":1}""", "application/merge-patch+json");
        Assert.That(merged["extra"]!.ToJsonString(), Is.EqualTo("""{"b":{"c":2,"d":4},"e":[1]}"""));
        var replaced = await Patch(id, """{"extra":[1,2],"version":2}""", "application/merge-patch+json");
        Assert.That(replaced["extra"]!.ToJsonString(), Is.EqualTo("[1,2]"));
    }

    [Test]
    public async Task A_patch_that_removes_a_required_nested_member_is_refused_with_its_path()
    {
        var id = (await _app.CreateAsync("/orders", Orders.Body()))["id"]!.GetValue<string>();
        var errors = await Errors(await _app.Client.PatchAsync($"/orders/{id}", Json("""{"address":{"city":null},"lines":[{"sku":"x","qty":0}],"version":1}""", "application/merge-patch+json")));
        Assert.That(errors.Select(e => e.Key), Is.EquivalentTo(new[] { "lines[0].qty" }), "the patch's own problems come first, in one answer");
        errors = await Errors(await _app.Client.PatchAsync($"/orders/{id}", Json("""{"address":{"city":null},"version":1}""", "application/merge-patch+json")));
        Assert.That(errors["address.city"]![0]!.GetValue<string>(), Is.EqualTo("is required"));
        var unchanged = await (await _app.Client.GetAsync($"/orders/{id}")).JsonAsync();
        Assert.That((unchanged["version"]!.GetValue<long>(), unchanged["address"]!["city"]!.GetValue<string>()), Is.EqualTo((1L, "Paris")));
    }

    [Test]
    public async Task Put_replaces_nested_objects_whole()
    {
        var id = (await _app.CreateAsync("/orders", Orders.Body()))["id"]!.GetValue<string>();
        var response = await _app.Client.PutAsync($"/orders/{id}", Json("""{"customer":"ann","address":{"city":"Nice"},"lines":[{"sku":"B","qty":1}],"version":1}"""));
        var body = await response.JsonAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body.ToJsonString());
        Assert.That(body["address"]!.ToJsonString(), Is.EqualTo("""{"city":"Nice","zip":null,"country":"FR"}"""), "no member survives from the old value");
        Assert.That((body["tags"]!.ToJsonString(), body["prices"]!.ToJsonString()), Is.EqualTo(("[]", "{}")));
    }
}
