using System.Text.Json.Nodes;
using LightS3.Tests.Support;

namespace LightS3.Tests.Files;

/// <summary>The file routes and the read-only file fields in the OpenAPI document.</summary>
public sealed class FileOpenApiTests
{
    [Test]
    public async Task The_document_lists_the_four_file_operations_per_field_the_event_endpoint_and_a_read_only_file_schema()
    {
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<AlbumEndpoint>("/albums"));
        var doc = JsonNode.Parse(await app.Client.GetStringAsync("/openapi/v1.json"))!;
        var paths = doc["paths"]!;
        Assert.That(paths["/albums/{id}/cover/upload"]!["post"]!["operationId"]!.GetValue<string>(), Is.EqualTo("albums_cover_upload"));
        Assert.That(paths["/albums/{id}/cover/confirm"]!["post"]!["operationId"]!.GetValue<string>(), Is.EqualTo("albums_cover_confirm"));
        Assert.That(paths["/albums/{id}/cover"]!["get"]!["responses"]!["307"], Is.Not.Null);
        Assert.That(paths["/albums/{id}/cover"]!["delete"]!["operationId"]!.GetValue<string>(), Is.EqualTo("albums_cover_delete"));
        Assert.That(paths["/albums/{id}/attachment/upload"], Is.Not.Null, "every file field has its routes");
        Assert.That(paths["/_lights3/s3-events"]!["post"], Is.Not.Null);
        Assert.That(paths["/_lights3/blobs/upload"], Is.Null, "signed blob URLs are not API operations");
        var cover = doc["components"]!["schemas"]!.AsObject().Select(s => s.Value!["properties"]?["cover"]).First(c => c is not null)!;
        Assert.That(cover["readOnly"]!.GetValue<bool>(), Is.True);
    }
}
