using System.Net;
using LightS3.Tests.Support;

namespace LightS3.Tests.Http;

/// <summary>Response field selection and overridable hooks.</summary>
public sealed class SerializerAndHookTests
{
    private TestApp _app = null!;

    [OneTimeSetUp]
    public async Task Start() => _app = await TestApp.StartAsync(TestStore.Memory, app => app.Register(new()
    {
        ["/secretive"] = typeof(SecretiveEndpoint),
        ["/also"] = typeof(AlsoSecretiveEndpoint),
        ["/inline"] = typeof(InlineSerializerEndpoint),
        ["/notes"] = typeof(NoteEndpoint),
        ["/counting"] = typeof(CountingEndpoint),
    }));

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    [Test]
    public async Task A_reusable_serializer_shapes_write_and_read_responses_differently()
    {
        var created = await _app.CreateAsync("/secretive", new { name = "n", internal_code = "c" });
        Assert.That(created.Select(p => p.Key), Is.EqualTo(new[] { "id", "name" }));
        var read = await (await _app.Client.GetAsync($"/secretive/{created["id"]}")).JsonAsync();
        Assert.That(read.Select(p => p.Key), Is.EqualTo(new[] { "id", "name", "version" }));
        var list = await (await _app.Client.GetAsync("/secretive")).JsonAsync();
        Assert.That(list["results"]![0]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "id", "name", "version" }));
    }

    [Test]
    public async Task The_same_serializer_class_serves_several_endpoints()
    {
        var created = await _app.CreateAsync("/also", new { name = "n", other = "o" });
        Assert.That(created.Select(p => p.Key), Is.EqualTo(new[] { "id", "name" }));
    }

    [Test]
    public async Task An_inline_serializer_applies_to_every_verb()
    {
        var created = await _app.CreateAsync("/inline", new { name = "n", hidden = "h" });
        Assert.That(created.Select(p => p.Key), Is.EqualTo(new[] { "id", "name" }));
        var read = await (await _app.Client.GetAsync($"/inline/{created["id"]}")).JsonAsync();
        Assert.That(read.Select(p => p.Key), Is.EqualTo(new[] { "id", "name" }));
    }

    [Test]
    public async Task A_create_hook_can_adjust_input_through_the_typed_model()
    {
        var response = await _app.SendAsync(HttpMethod.Post, "/notes", new { text = "  hello  " }, r => r.Headers.Add("X-User", "ada"));
        var body = await response.JsonAsync();
        Assert.That((body["text"]!.GetValue<string>(), body["author"]!.GetValue<string>()), Is.EqualTo(("hello", "ada")));
    }

    [Test]
    public async Task Validation_still_runs_after_a_create_hook()
    {
        Assert.That(await _app.PostAsync("/notes", new { text = "   " }).StatusAsync(), Is.EqualTo(422));
    }

    [Test]
    public async Task A_list_hook_can_scope_results()
    {
        await _app.CreateAsync("/notes", new { text = "public" });
        await _app.CreateAsync("/notes", new { text = "secret", draft = true });
        var list = await (await _app.Client.GetAsync("/notes")).JsonAsync();
        Assert.That(list["results"]!.AsArray().Select(r => r!["text"]!.GetValue<string>()), Does.Not.Contain("secret"));
        Assert.That(list["results"]!.AsArray().Select(r => r!["text"]!.GetValue<string>()), Does.Contain("public"));
    }

    [Test]
    public async Task A_destroy_hook_can_refuse_with_its_own_problem()
    {
        var id = (await _app.CreateAsync("/notes", new { text = "keep", locked = true }))["id"];
        var response = await _app.SendAsync(HttpMethod.Delete, $"/notes/{id}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await response.JsonAsync())["detail"]!.GetValue<string>(), Is.EqualTo("this note is locked"));
        Assert.That(await _app.Client.GetAsync($"/notes/{id}").StatusAsync(), Is.EqualTo(200));
    }

    [Test]
    public async Task A_whole_verb_override_replaces_the_default_response()
    {
        await _app.CreateAsync("/counting", new { name = "a" });
        await _app.CreateAsync("/counting", new { name = "b" });
        var body = await (await _app.Client.GetAsync("/counting")).JsonAsync();
        Assert.That(body["count"]!.GetValue<int>(), Is.EqualTo(2));
    }
}
