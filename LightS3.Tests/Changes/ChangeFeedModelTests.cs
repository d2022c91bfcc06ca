using LightS3.Tests.Support;
using LightS3.Yaml.Config;

namespace LightS3.Tests.Changes;

/// <summary>The feed is turned on per endpoint (attribute or YAML) and described in the OpenAPI document.</summary>
public sealed class ChangeFeedModelTests
{
    [Test]
    public void YAML_meta_changes_turns_the_feed_on_and_it_is_off_by_default()
    {
        var config = YamlConfigReader.Read("""
            endpoints:
              - route: /tasks
                fields: { title: { type: str } }
                meta: { changes: true }
              - route: /notes
                fields: { title: { type: str } }
            """, "api.yaml", _ => null);
        Assert.That(config.Endpoints.Select(e => e.Model.Time.Changes), Is.EqualTo(new[] { true, false }));
    }

    [Test]
    public void YAML_meta_changes_must_be_a_boolean()
    {
        var error = Assert.Throws<LightS3.Model.ConfigurationException>(() => YamlConfigReader.Read("""
            endpoints:
              - route: /tasks
                fields: { title: { type: str } }
                meta: { changes: often }
            """, "api.yaml", _ => null));
        Assert.That(error!.Message, Does.Contain("meta.changes"));
    }

    [Test]
    public async Task Both_routes_are_in_the_openapi_document_with_their_names_parameters_and_security()
    {
        await using var app = await ChangeApps.StartAsync(TestStore.Memory);
        var document = await (await app.Client.GetAsync("/openapi/v1.json")).JsonAsync();
        var paths = document["paths"]!.AsObject();
        var changes = paths["/tasks/_changes"]?["get"];
        var events = paths["/tasks/_events"]?["get"];
        Assert.That(changes?["operationId"]?.GetValue<string>(), Is.EqualTo("tasks_changes"));
        Assert.That(events?["operationId"]?.GetValue<string>(), Is.EqualTo("tasks_events"));
        Assert.That(changes!["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()), Is.EquivalentTo(new[] { "since", "limit" }));
        Assert.That(events!["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()), Does.Contain("Last-Event-ID").And.Contain("status"));
        Assert.That(events["responses"]!["200"]!["content"]!.AsObject().ContainsKey("text/event-stream"));
        Assert.That(changes["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>(), Does.EndWith("/ChangePage"));
        Assert.That(paths["/letters/_changes"]?["get"]?["responses"]?["401"], Is.Not.Null, "a guarded feed declares 401");
        Assert.That(paths.ContainsKey("/chores/_changes"), Is.False, "no feed, no route");
    }
}
