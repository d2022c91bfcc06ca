using System.Text;
using LightS3.Endpoints;
using LightS3.Hosting;
using LightS3.Model;
using LightS3.Storage;
using LightS3.Tests.Support;
using LightS3.Yaml;
using LightS3.Yaml.Config;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LightS3.Tests.Yaml;

/// <summary>reflect: serving JSON objects another program wrote, with no declared fields, on real S3 and on files.</summary>
[TestFixture(TestStore.S3, Category = External.Category)]
[TestFixture(TestStore.File)]
public sealed class ReflectionTests(TestStore store)
{
    private string _location = "";

    [SetUp]
    public async Task WriteLegacyObjects()
    {
        _location = TestStores.NewLocation(store);
        var counter = new RequestCounter();
        var objects = TestStores.Create(store, counter, _location);
        // written "by another program": own names, no id/created_at/updated_at/version, a nested value
        await objects.PutAsync("legacy/users/alice.json", Encoding.UTF8.GetBytes("""{"name":"Alice","age":31,"joined":"2020-01-02T03:04:05Z","tags":["a","b"]}"""), WriteCondition.None);
        await objects.PutAsync("legacy/users/bob.json", Encoding.UTF8.GetBytes("""{"name":"Bob","age":45,"joined":"2019-06-01T00:00:00Z","vip":true}"""), WriteCondition.None);
        await objects.PutAsync("legacy/users/notes.txt", Encoding.UTF8.GetBytes("not a record"), WriteCondition.None);
        (objects as IDisposable)?.Dispose();
    }

    [TearDown]
    public void Clean()
    {
        if (store == TestStore.File) TestStores.TryDelete(_location);
    }

    private async Task<TestAppHandle> Start(string yaml)
    {
        var app = YamlApp.Build(YamlConfigReader.Read(yaml, "api.yaml", _ => null), [], b =>
        {
            b.WebHost.UseUrls("http://127.0.0.1:0");
            b.Logging.ClearProviders();
            b.Services.PostConfigure<LightS3Options>(o => TestStores.Apply(o, store, _location));
        });
        await app.StartAsync();
        return new TestAppHandle(app, new HttpClient { BaseAddress = new Uri(app.Urls[0]) });
    }

    private sealed record TestAppHandle(LightS3App App, HttpClient Client) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }

    private const string Reflect = """
        endpoints:
          - route: /users
            reflect: true
            meta:
              table: legacy/users
              filtering: { fields: [age, name], ordering: [age] }
        """;

    [Test]
    public async Task Existing_objects_are_served_with_inferred_fields_and_ids_from_their_names()
    {
        await using var app = await Start(Reflect);
        var model = app.App.Services.GetRequiredService<EndpointRegistry>().Get("/users").Model;
        Assert.That(model.Fields.Select(f => (f.Name, f.Kind)), Is.EqualTo(new[] { ("name", FieldKind.String), ("age", FieldKind.Int), ("joined", FieldKind.DateTime), ("tags", FieldKind.List), ("vip", FieldKind.Bool) }));
        Assert.That(model.Field("tags")!.Element!.Kind, Is.EqualTo(FieldKind.String), "nested types are inferred too");

        var list = await (await app.Client.GetAsync("/users?ordering=-age")).JsonAsync();
        Assert.That(list["results"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()), Is.EqualTo(new[] { "bob", "alice" }));
        var alice = await (await app.Client.GetAsync("/users/alice")).JsonAsync();
        Assert.That((alice["name"]!.GetValue<string>(), alice["age"]!.GetValue<int>()), Is.EqualTo(("Alice", 31)));
        Assert.That((await (await app.Client.GetAsync("/users?age__gt=40")).JsonAsync())["results"]!.AsArray().Single()!["id"]!.GetValue<string>(), Is.EqualTo("bob"));
        Assert.That(await app.Client.GetAsync("/users/notes").StatusAsync(), Is.EqualTo(404));
    }

    [Test]
    public async Task Reflected_records_are_writable_and_keep_what_the_schema_does_not_know()
    {
        await using var app = await Start(Reflect);
        var etag = (await app.Client.GetAsync("/users/alice")).Headers.ETag!;
        var patch = new HttpRequestMessage(HttpMethod.Patch, "/users/alice") { Content = System.Net.Http.Json.JsonContent.Create(new { age = 32 }) };
        patch.Headers.IfMatch.Add(etag);
        var patched = await app.Client.SendAsync(patch);
        Assert.That((int)patched.StatusCode, Is.EqualTo(200), await patched.Content.ReadAsStringAsync());
        var body = await patched.JsonAsync();
        Assert.That((body["age"]!.GetValue<int>(), body["version"]!.GetValue<long>()), Is.EqualTo((32, 1L)));
        Assert.That(body["tags"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EqualTo(new[] { "a", "b" }), "an inferred list is kept on a patch that does not send it");

        Assert.That(await app.Client.PostAsync("/users", System.Net.Http.Json.JsonContent.Create(new { name = "Carol", age = "old" })).StatusAsync(), Is.EqualTo(422));
        var created = await (await app.Client.PostAsync("/users", System.Net.Http.Json.JsonContent.Create(new { name = "Carol", age = 28 }))).JsonAsync();
        Assert.That(Guid.TryParse(created["id"]!.GetValue<string>(), out _), Is.True, "new records get LightS3 ids");
        Assert.That((await (await app.Client.GetAsync("/users")).JsonAsync())["results"]!.AsArray(), Has.Count.EqualTo(3));
    }

    [Test]
    public async Task Partial_reflection_adds_declared_fields_to_inferred_ones()
    {
        await using var app = await Start("""
            endpoints:
              - route: /users
                reflect: partial
                fields:
                  email: { type: str, optional: true, pattern: "^[^@]+@[^@]+$" }
                meta: { table: legacy/users }
            """);
        var model = app.App.Services.GetRequiredService<EndpointRegistry>().Get("/users").Model;
        Assert.That(model.Fields.Select(f => f.Name), Is.EqualTo(new[] { "email", "name", "age", "joined", "tags", "vip" }));
        Assert.That(await app.Client.PostAsync("/users", System.Net.Http.Json.JsonContent.Create(new { name = "Dan", email = "nope" })).StatusAsync(), Is.EqualTo(422));
    }

    [Test]
    public void An_empty_or_missing_prefix_is_a_configuration_error()
    {
        var error = Assert.ThrowsAsync<ConfigurationException>(async () => await (await Start("""
            endpoints:
              - route: /ghosts
                reflect: true
                meta: { table: nothing/here }
            """)).DisposeAsync());
        Assert.That(error!.Message, Does.Contain("endpoints[0]: reflect: no JSON objects named {id}.json under 'nothing/here/'"));
    }
}
