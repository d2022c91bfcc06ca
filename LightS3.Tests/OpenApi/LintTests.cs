using LightS3.Hosting;
using LightS3.Storage;
using LightS3.Tests.Support;
using LightS3.Yaml;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LightS3.Tests.OpenApi;

/// <summary>The generated documents pass <c>redocly lint</c> (recommended rules) with no error.</summary>
[Category(External.Category)]
public class LintTests
{
    [Test]
    public async Task The_document_of_the_test_model_set_and_auth_module_lints_without_errors()
    {
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => { OpenApiModels.Register(a); a.UseAuthModule(); }, OpenApiModels.Configure);
        NpmTools.AssertLintsClean(await app.Client.GetStringAsync("/openapi/v1.json"), "models");
    }

    [Test]
    public async Task The_document_of_the_Books_example_lints_without_errors()
    {
        await using var books = await ExampleProcess.StartAsync(new Dictionary<string, string> { ["LIGHTS3_STORAGE"] = "memory" });
        var json = await books.Client.GetStringAsync("/openapi/v1.json");
        Assert.That(json, Does.Contain("\"books_create\""));
        NpmTools.AssertLintsClean(json, "books");
    }

    [Test]
    public async Task The_document_of_the_root_lightapi_yaml_lints_without_errors()
    {
        await using var app = LightS3App.FromConfig(Path.Combine(NpmTools.RepoRoot, "lightapi.yaml"), [], b =>
        {
            b.WebHost.UseUrls("http://127.0.0.1:0");
            b.Logging.ClearProviders();
            b.Services.PostConfigure<LightS3Options>(o =>
            {
                o.Storage = StorageKind.Memory;
                o.Jwt.Secret = Tokens.Secret;
            });
        });
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls[0]) };
        var json = await client.GetStringAsync("/openapi/v1.json");
        foreach (var id in new[] { "products_list", "orders_partial_update", "tags_create" }) Assert.That(json, Does.Contain($"\"{id}\""));
        NpmTools.AssertLintsClean(json, "lightapi");
        await app.StopAsync();
    }
}
