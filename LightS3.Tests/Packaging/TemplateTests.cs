using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using LightS3.Tests.Support;

namespace LightS3.Tests.Packaging;

/// <summary>
/// `dotnet new lights3` from the packed LightS3.Templates, installed into a private template hive, then built and run
/// against the packed LightS3: LightS3 itself comes only from the local feed (its version exists nowhere else);
/// third-party packages (AWSSDK, NUnit, …) come from the machine's configured NuGet sources and cache.
/// </summary>
[Category(External.Category)]
[NonParallelizable]
public sealed class TemplateTests
{
    private static readonly TimeSpan Quick = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Build = TimeSpan.FromMinutes(8);

    /// <summary>Installs the template package into a hive under the feed's temp root (the machine's stays untouched).</summary>
    internal static async Task<string> NewFromTemplateAsync(LocalFeed feed, string shortName, string name)
    {
        var hive = Path.Combine(feed.Root, "template-hive");
        if (!Directory.Exists(hive))
            await DotnetCli.SucceedAsync(feed.Root, Quick, "new", "install", feed.Package("LightS3.Templates"), "--debug:custom-hive", hive);
        var output = Path.Combine(feed.Root, $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]);
        await DotnetCli.SucceedAsync(feed.Root, Quick, "new", shortName, "-n", name, "-o", output, "--debug:custom-hive", hive);
        return output;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Test]
    public async Task The_lights3_template_builds_on_the_packed_package_passes_its_tests_and_serves_a_create_and_a_read()
    {
        var feed = await LocalFeed.GetAsync();
        var shop = await NewFromTemplateAsync(feed, "lights3", "Shop");
        Assert.That(File.ReadAllText(Path.Combine(shop, "src", "Shop", "Shop.csproj")),
            Does.Contain($"<PackageReference Include=\"LightS3\" Version=\"{feed.Version}\" />"));
        Assert.That(File.ReadAllText(Path.Combine(shop, "src", "Shop", "Program.cs")), Does.Contain("LightS3App.RunAsync(args"));
        Assert.That(File.Exists(Path.Combine(shop, "Dockerfile")), Is.True);

        feed.WriteNuGetConfig(shop);
        await DotnetCli.SucceedAsync(shop, Build, "build", "Shop.slnx", "-c", "Release", "--nologo");
        var assets = File.ReadAllText(Path.Combine(shop, "src", "Shop", "obj", "project.assets.json"));
        Assert.That(assets, Does.Contain($"\"LightS3/{feed.Version}\""), "restored the packed LightS3");

        var tests = await DotnetCli.SucceedAsync(shop, Build, "test", "Shop.slnx", "-c", "Release", "--no-build", "--nologo");
        Assert.That(tests.Output, Does.Contain("Passed!").And.Contain("Passed:     3"), "the template's own tests ran");

        var port = FreePort();
        var app = Path.Combine(shop, "src", "Shop");
        using var process = DotnetCli.Start("dotnet", app, new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" },
            [Path.Combine(app, "bin", "Release", "net10.0", "Shop.dll"), "--urls", $"http://127.0.0.1:{port}"], out _, out var errors);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                Assert.That(process.HasExited, Is.False, () => $"Shop exited: {errors}");
                try { await client.GetAsync("/products"); break; }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline) { await Task.Delay(200); }
            }

            var created = await client.PostAsJsonAsync("/products", new { name = "Lamp", sku = "LMP-0001", price = 19.99 });
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
            var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

            var read = await client.GetAsync($"/products/{id}");
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            var product = (await read.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.That((product["name"]!.GetValue<string>(), product["sku"]!.GetValue<string>(), product["in_stock"]!.GetValue<bool>()),
                Is.EqualTo(("Lamp", "LMP-0001", true)));
            var invalid = await client.PostAsJsonAsync("/products", new { name = "", sku = "lamp" });
            Assert.That(invalid.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(Directory.Exists(Path.Combine(app, "data")), Is.True, "records went to the embedded file store");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
