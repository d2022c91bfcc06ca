using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LightS3.Tests.Support;
using LightS3.Validation;

namespace LightS3.Tests.Validation;

/// <summary>A hook that reads the raw input directly, trusting its declared types.</summary>
public class ShoutEndpoint : RestEndpoint<ShoutEndpoint>
{
    public string Text { get; set; } = "";
    public int Times { get; set; }

    public override Task<Record> CreateAsync(JsonObject input)
    {
        if (input["text"] is { } text) input["text"] = string.Concat(Enumerable.Repeat(text.GetValue<string>().ToUpperInvariant(), input["times"]?.GetValue<int>() ?? 1));
        return base.CreateAsync(input);
    }

    public override Task<Record> UpdateAsync(string id, JsonObject input, bool partial, string? ifMatch)
    {
        if (input["text"] is { } text) input["text"] = text.GetValue<string>().ToUpperInvariant();
        return base.UpdateAsync(id, input, partial, ifMatch);
    }
}

/// <summary>
/// A create/update hook gets the body with every declared field already of its type, so typed access through
/// <c>FromJson</c> cannot fail; a wrongly typed field is a 422 before the hook runs, and <c>FromJson</c> on any other
/// JSON reports a 422 naming the field, never a 500.
/// </summary>
public sealed class HookInputTests
{
    private TestApp _app = null!;

    [OneTimeSetUp]
    public async Task Start() => _app = await TestApp.StartAsync(TestStore.Memory, a =>
    {
        a.Register<NoteEndpoint>("/notes");
        a.Register<OrderEndpoint>("/orders");
        a.Register<ShoutEndpoint>("/shout");
    });

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, string json) =>
        _app.Client.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") });

    [TestCase("{\"text\": 5}", "text")]
    [TestCase("{\"text\": \"hi\", \"draft\": \"yes\"}", "draft")]
    [TestCase("{\"text\": {\"a\": 1}}", "text")]
    [TestCase("{\"text\": \"hi\", \"locked\": null}", "locked")]
    public async Task A_wrongly_typed_field_is_422_before_a_hook_reads_it_with_FromJson(string json, string field)
    {
        var response = await Send(HttpMethod.Post, "/notes", json);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), await response.Content.ReadAsStringAsync());
        Assert.That((await response.JsonAsync())["errors"]![field], Is.Not.Null);
    }

    [TestCase("POST", "{\"text\": 5, \"times\": 1}", "text")]
    [TestCase("POST", "{\"text\": \"a\", \"times\": \"2\"}", "times")]
    [TestCase("POST", "{\"text\": \"a\", \"times\": 2.5}", "times")]
    [TestCase("PATCH", "{\"text\": true, \"version\": 1}", "text")]
    [TestCase("PUT", "{\"text\": [], \"times\": 1, \"version\": 1}", "text")]
    public async Task A_hook_reading_its_input_directly_sees_only_well_typed_declared_fields(string method, string json, string field)
    {
        var id = (await _app.CreateAsync("/shout", new { text = "hey", times = 2 }))["id"]!.GetValue<string>();
        var response = await Send(new HttpMethod(method), method == "POST" ? "/shout" : $"/shout/{id}", json);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), await response.Content.ReadAsStringAsync());
        Assert.That((await response.JsonAsync())["errors"]![field], Is.Not.Null);
        Assert.That((await _app.Client.GetAsync($"/shout/{id}").JsonAsync())["text"]!.GetValue<string>(), Is.EqualTo("HEYHEY"));
    }

    [TestCase("{\"text\": \"hi\", \"id\": 5}")]
    [TestCase("{\"text\": \"hi\", \"created_at\": [1]}")]
    [TestCase("{\"text\": \"hi\", \"updated_at\": \"not a date\"}")]
    public async Task Automatic_fields_of_any_shape_in_the_body_do_not_break_a_hook(string json)
    {
        Assert.That(await Send(HttpMethod.Post, "/notes", json).StatusAsync(), Is.EqualTo(201));
    }

    [Test]
    public async Task A_hook_still_adjusts_the_body_before_required_fields_and_constraints_are_checked()
    {
        var created = await _app.CreateAsync("/notes", new { text = "  padded  " });
        Assert.That(created["text"]!.GetValue<string>(), Is.EqualTo("padded"));
        Assert.That(await Send(HttpMethod.Post, "/notes", "{\"text\": \"   \"}").StatusAsync(), Is.EqualTo(422), "trimmed to empty: MinLength runs after the hook");
        var order = await _app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/orders")
        {
            Content = new StringContent("{\"total\": \"12.50\"}", Encoding.UTF8, "application/json"),
            Headers = { { "X-User", "ann" } },
        });
        Assert.That(order.StatusCode, Is.EqualTo(HttpStatusCode.Created), "the hook fills the required owner");
    }

    [Test]
    public void FromJson_on_arbitrary_json_is_a_validation_error_naming_the_field()
    {
        var e = Assert.Throws<RecordValidationException>(() => NoteEndpoint.FromJson(new JsonObject { ["text"] = 5, ["draft"] = "no" }));
        Assert.That(e!.Errors.Keys, Is.EquivalentTo(new[] { "text", "draft" }));
    }
}
