using System.Text.Json.Nodes;
using LightS3.Tests.Support;

namespace LightS3.Tests.Relations;

/// <summary>
/// <c>?expand=</c> never shows what a direct GET would refuse or not find: an endpoint the caller may not read, a record
/// its object-level permission refuses, a record its queryset hides, and fields its read serializer hides are all left out.
/// </summary>
[TestFixture(TestStore.Memory)]
[TestFixture(TestStore.S3, Category = External.Category)]
public sealed class ExpandPermissionTests(TestStore store)
{
    private TestApp _app = null!;

    [OneTimeSetUp]
    public async Task Start() => _app = await TestApp.StartAsync(store, a =>
    {
        a.Register<VaultEndpoint>("/vaults");
        a.Register<AgentEndpoint>("/agents");
        a.Register<DeskEndpoint>("/desks");
        a.Register<DossierEndpoint>("/dossiers");
        a.Register<MemoEndpoint>("/memos");
    });

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    private async Task<string> Seed(string route, object body) => (await _app.SeedAsync(route, [body]))[0];

    [Test]
    public async Task Expand_leaves_out_what_a_direct_GET_refuses_or_hides()
    {
        var vault = await Seed("/vaults", new { name = "gold" });
        var secret = await Seed("/agents", new { name = "secret agent" });
        var archived = await Seed("/desks", new { name = "old", code = "X1", archived = true });
        // a POST may not reference what its caller cannot read (422, as for an id that does not exist) ...
        var refused = await _app.PostAsync("/dossiers", new { title = "hidden", vault, agent = secret, desk = archived });
        Assert.That((int)refused.StatusCode, Is.EqualTo(422));
        Assert.That((await refused.JsonAsync())["errors"]!.AsObject().Select(p => p.Key), Is.EquivalentTo(new[] { "vault", "agent", "desk" }));
        // ... but a reference can become unreadable later (a record made private): seeded as such, expand still hides it
        var hidden = new JsonObject { ["id"] = await Seed("/dossiers", new { title = "hidden", vault, agent = secret, desk = archived }) };

        // what a direct GET says about each target
        Assert.That(await _app.Client.GetAsync($"/vaults/{vault}").StatusAsync(), Is.EqualTo(403));
        Assert.That(await _app.Client.GetAsync($"/agents/{secret}").StatusAsync(), Is.EqualTo(403));
        Assert.That((await _app.Client.GetStringAsync("/desks")), Does.Not.Contain(archived), "the desk's queryset hides it");

        var read = await (await _app.Client.GetAsync($"/dossiers/{hidden["id"]}?expand=vault,agent,desk")).JsonAsync();
        Assert.That(read["expand"]!.AsObject(), Is.Empty, read.ToJsonString());
        Assert.That(read.ToJsonString(), Does.Not.Contain("gold").And.Not.Contain("secret agent").And.Not.Contain("X1"));

        var agent = await Seed("/agents", new { name = "field agent" });
        var desk = await Seed("/desks", new { name = "front", code = "S3CR3T", archived = false });
        var open = await _app.CreateAsync("/dossiers", new { title = "open", agent, desk });
        var page = await (await _app.Client.GetAsync("/dossiers?expand=vault,agent,desk")).JsonAsync();
        var shown = page["results"]!.AsArray().Single(d => d!["id"]!.GetValue<string>() == open["id"]!.GetValue<string>())!;
        Assert.That(shown["expand"]!["agent"]!["name"]!.GetValue<string>(), Is.EqualTo("field agent"));
        Assert.That(shown["expand"]!["desk"]!.AsObject().Select(p => p.Key), Is.EquivalentTo(new[] { "id", "name" }), "the desk's read serializer applies");
        Assert.That(page.ToJsonString(), Does.Not.Contain("S3CR3T").And.Not.Contain("gold").And.Not.Contain("secret agent"));
    }

    [Test]
    public async Task Back_references_leave_out_records_the_referencing_endpoint_refuses()
    {
        var agent = await Seed("/agents", new { name = "double agent" });
        await Seed("/memos", new { title = "public", agent });
        await Seed("/memos", new { title = "classified", agent });
        var read = await (await _app.Client.GetAsync($"/agents/{agent}?expand=memos")).JsonAsync();
        Assert.That(read["expand"]!["memos"]!.AsArray().Select(m => m!["title"]!.GetValue<string>()), Is.EqualTo(new[] { "public" }), read.ToJsonString());

        var page = await (await _app.Client.GetAsync($"/agents?expand=memos")).JsonAsync();
        Assert.That(page.ToJsonString(), Does.Not.Contain("classified"));
    }
}
