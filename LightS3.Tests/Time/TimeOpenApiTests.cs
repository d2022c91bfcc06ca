using System.Text.Json.Nodes;
using LightS3.Tests.Support;

namespace LightS3.Tests.Time;

/// <summary>The history and restore routes are operations of the OpenAPI document.</summary>
public sealed class TimeOpenApiTests
{
    [Test]
    public async Task The_history_and_restore_routes_are_in_the_openapi_document_with_their_names()
    {
        await using var app = await TimeStores.StartAsync(TimeStore.Memory, a => a.Register<PageEndpoint>("/pages").Register<NoteEndpoint>("/notes").Register<PlainEndpoint>("/plain"));
        var document = await (await app.Client.GetAsync("/openapi/v1.json")).JsonAsync();
        var paths = document["paths"]!.AsObject();
        Assert.That(paths["/pages/{id}/_history"]?["get"]?["operationId"]?.GetValue<string>(), Is.EqualTo("pages_history"));
        Assert.That(paths["/pages/{id}/_history/{version}"]?["get"]?["operationId"]?.GetValue<string>(), Is.EqualTo("pages_history_version"));
        Assert.That(paths["/pages/{id}/_restore"]?["post"]?["operationId"]?.GetValue<string>(), Is.EqualTo("pages_restore"));
        Assert.That(paths["/notes/{id}/_restore"]?["post"], Is.Not.Null, "soft delete alone has a restore");
        Assert.That(paths.ContainsKey("/notes/{id}/_history"), Is.False, "no history without [History]");
        Assert.That(paths.Select(p => p.Key).Where(k => k.StartsWith("/plain/", StringComparison.Ordinal) && (k.Contains("_history") || k.Contains("_restore"))),
            Is.Empty, "no time routes on an endpoint without soft delete or history");
    }
}
