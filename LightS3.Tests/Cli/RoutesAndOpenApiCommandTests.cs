using System.Text.Json.Nodes;
using LightS3.Tests.Support;

namespace LightS3.Tests.Cli;

/// <summary><c>lights3 routes</c> and <c>lights3 openapi</c>.</summary>
[Category(External.Category)]
[Parallelizable(ParallelScope.All)]
public sealed class RoutesAndOpenApiCommandTests
{
    [Test]
    public async Task Routes_prints_each_endpoint_with_its_verbs_auth_indexes_and_unique_fields()
    {
        using var ws = CliWorkspace.Create("");
        ws.Write("lightapi.yaml", ws.FileStorage + CliSamples.Endpoints);
        var run = await ws.RunAsync("routes");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Does.StartWith("ROUTE"));
        Assert.That(lines[1], Does.Match(@"^/orders\s+GET POST PATCH\s+IsAuthenticated\s+status\s+-\s+orders$"));
        Assert.That(lines[2], Does.Match(@"^/tags\s+GET POST PUT PATCH DELETE\s+AllowAny\s+-\s+label\s+tags$"));
        Assert.That(run.Output, Does.Not.Contain("\u001b["), "no escape codes when redirected");
    }

    [Test]
    public async Task Openapi_writes_the_document_with_every_endpoint_to_the_file()
    {
        using var ws = CliWorkspace.Create("");
        ws.Write("lightapi.yaml", ws.FileStorage + CliSamples.Endpoints);
        var run = await ws.RunAsync("openapi", "-o", "api.json");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var doc = JsonNode.Parse(File.ReadAllText(Path.Combine(ws.Directory, "api.json")))!;
        Assert.That(doc["openapi"]!.GetValue<string>(), Does.StartWith("3.1"));
        Assert.That(doc["paths"]!.AsObject().Select(p => p.Key), Is.SupersetOf(new[] { "/orders", "/orders/{id}", "/tags", "/tags/{id}" }));
        Assert.That(doc["paths"]!["/orders/{id}"]!.AsObject().ContainsKey("delete"), Is.False, "methods follow meta.methods");
    }

    [Test]
    public async Task Openapi_refuses_when_the_document_is_turned_off()
    {
        using var ws = CliWorkspace.Create("");
        ws.Write("lightapi.yaml", ws.FileStorage + "openapi: false\n" + CliSamples.Endpoints);
        var run = await ws.RunAsync("openapi");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Errors, Does.Contain("turned off"));
    }
}
