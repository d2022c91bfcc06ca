using System.Text.Json.Nodes;
using LightS3.Endpoints;
using LightS3.Hosting;
using LightS3.Tests.Support;
using LightS3.Yaml;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Tests.Cli;

/// <summary><c>lights3 reindex</c> and <c>lights3 gc</c> on the embedded store and on RGW.</summary>
[Category(External.Category)]
[Parallelizable(ParallelScope.All)]
public sealed class MaintenanceCommandTests
{
    private static CliWorkspace Workspace(bool s3)
    {
        var ws = CliWorkspace.Create("");
        ws.Write("lightapi.yaml", (s3 ? CliWorkspace.S3Storage(S3TestServer.NewPrefix("cli")) : ws.FileStorage) + CliSamples.Endpoints);
        return ws;
    }

    private static async Task<List<string>> SeedAsync(CliWorkspace ws, int count, bool deleteAll = false)
    {
        await using var app = LightS3App.FromConfig(Path.Combine(ws.Directory, "lightapi.yaml"), ["--LIGHTS3_JWT_SECRET", CliWorkspace.Secret]);
        var tags = app.Services.GetRequiredService<EndpointRegistry>().Get("/tags").Repository;
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var record = await tags.InsertAsync(new JsonObject { ["label"] = $"tag-{i}", ["weight"] = i });
            ids.Add(record.Id);
            if (deleteAll) await tags.DeleteAsync(record);
        }
        return ids;
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Reindex_with_the_file_from_lights3_config_takes_the_argument_as_the_route(bool s3)
    {
        using var ws = Workspace(s3);
        await SeedAsync(ws, 3);
        ws.Env["LIGHTS3_CONFIG"] = Path.Combine(ws.Directory, "lightapi.yaml");
        var run = await Lights3Process.RunAsync(Path.GetTempPath(), ws.Env, "reindex", "/tags");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Output, Does.Contain("/tags: 3 records"));
    }

    [Test]
    public async Task Reindex_keeps_the_older_file_then_route_form()
    {
        using var ws = Workspace(false);
        var run = await ws.RunAsync("reindex", "lightapi.yaml", "/orders");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Output, Does.Contain("/orders: 0 records"));
    }

    [Test]
    public async Task Reindex_of_an_unknown_route_is_exit_2_naming_the_known_routes()
    {
        using var ws = Workspace(false);
        var run = await ws.RunAsync("reindex", "/nope");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Errors.Trim(), Is.EqualTo("no endpoint at '/nope' (known: /orders, /tags)"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Gc_removes_tombstones_older_than_the_grace_period_and_says_how_many(bool s3)
    {
        using var ws = Workspace(s3);
        await SeedAsync(ws, 2, deleteAll: true);
        var young = await ws.RunAsync("gc");
        Assert.That(young.ExitCode, Is.Zero, young.ToString());
        Assert.That(young.Output, Does.Match(@"tombstones\s+0\n"), "younger than the default grace: kept");
        ws.Env["LIGHTS3_GC_GRACE"] = "0";
        var run = await ws.RunAsync("gc");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Output, Does.Match(@"tombstones\s+2\n"));
        Assert.That((await ws.RunAsync("gc")).Output, Does.Match(@"tombstones\s+0\n"), "nothing left the second time");
    }

    [Test]
    public async Task An_unreachable_s3_is_exit_3_not_a_crash()
    {
        using var ws = CliWorkspace.Create("storage:\n  url: \"s3://nobucket/p\"\n  endpoint_url: \"http://127.0.0.1:9\"\n  timeout_seconds: 2\n" + CliSamples.Endpoints);
        var run = await ws.RunAsync("reindex", "/tags");
        Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
        Assert.That(run.Errors, Does.StartWith("storage is unavailable"));
    }
}
