using LightS3.Model;
using LightS3.Yaml.Config;

namespace LightS3.Tests.Webhooks;

/// <summary>The YAML <c>webhooks:</c> key.</summary>
public class WebhookYamlTests
{
    private const string Endpoints = """
        endpoints:
          - route: /books
            fields: { title: { type: str } }
            meta: { changes: true }
          - route: /plain
            fields: { title: { type: str } }
        """;

    private static IReadOnlyList<string> Problems(string yaml) =>
        Assert.Throws<ConfigurationException>(() => YamlConfigReader.Read(yaml, "api.yaml", _ => null))!.Problems;

    [Test]
    public void A_webhook_is_read_with_its_url_events_routes_and_secret_from_the_environment()
    {
        var config = YamlConfigReader.Read(Endpoints + """

            webhooks:
              - url: https://hooks.example.com/lights3
                events: [created, deleted]
                routes: [/books]
                secret: ${HOOK_SECRET}
            """, "api.yaml", name => name == "HOOK_SECRET" ? "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" : null);
        var target = config.Webhooks.Single();
        Assert.Multiple(() =>
        {
            Assert.That(target.Url, Is.EqualTo("https://hooks.example.com/lights3"));
            Assert.That(target.Events, Is.EqualTo(new[] { "created", "deleted" }));
            Assert.That(target.Routes, Is.EqualTo(new[] { "/books" }));
            Assert.That(target.Secret, Is.EqualTo("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
        });
    }

    [Test]
    public void Webhook_problems_are_reported_with_their_path_and_line()
    {
        var problems = Problems(Endpoints + """

            webhooks:
              - url: ftp://example.com/x
                events: [created, exploded]
                routes: [/books, /nowhere, /plain]
                secret: whsec_***
                colour: blue
              - events: [created]
            """);
        Assert.That(problems, Has.Some.Contains("webhooks[0].url: 'ftp://example.com/x' must be an absolute http(s) URL (line 8"));
        Assert.That(problems, Has.Some.Contains("webhooks[0].events[1]: unknown event 'exploded'"));
        Assert.That(problems, Has.Some.Contains("webhooks[0].routes[1]: '/nowhere' is not a declared endpoint route (line 10"));
        Assert.That(problems, Has.Some.Contains("webhooks[0].routes[2]: '/plain' keeps no change feed"));
        Assert.That(problems, Has.Some.Contains("webhooks[0].secret: the part after 'whsec_' is not base64"));
        Assert.That(problems, Has.Some.Contains("webhooks[0].colour: unknown key 'colour'"));
        Assert.That(problems, Has.Some.Contains("webhooks[1].url: is required"));
    }
}
