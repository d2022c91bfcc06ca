using LightS3.Tests.Support;
namespace LightS3.Tests.Packaging;

/// <summary>
/// The lights3 tool installed from the packed LightS3.Cli into a private tool path, run on the lightapi.yaml that
/// `dotnet new lights3-yaml` generates and on a broken file.
/// </summary>
[Category(External.Category)]
[NonParallelizable]
public sealed class ToolTests
{
    private static readonly TimeSpan Quick = TimeSpan.FromMinutes(2);

    [Test]
    public async Task The_installed_lights3_tool_validates_the_template_yaml_with_exit_0_and_a_broken_file_with_exit_2()
    {
        var feed = await LocalFeed.GetAsync();
        var tools = Path.Combine(feed.Root, "tools");
        var config = Directory.CreateDirectory(Path.Combine(feed.Root, "tool-config")).FullName;
        await DotnetCli.SucceedAsync(feed.Root, Quick, "tool", "install", "LightS3.Cli", "--version", feed.Version,
            "--tool-path", tools, "--configfile", feed.WriteNuGetConfig(config));
        var lights3 = Path.Combine(tools, OperatingSystem.IsWindows() ? "lights3.exe" : "lights3");
        Assert.That(File.Exists(lights3), Is.True, "the tool command is named lights3");

        var catalog = await TemplateTests.NewFromTemplateAsync(feed, "lights3-yaml", "Catalog");
        var sample = Path.Combine(catalog, "lightapi.yaml");
        Assert.That(File.ReadAllText(Path.Combine(catalog, "Dockerfile")), Does.Contain($"--version {feed.Version}"));

        var ok = await DotnetCli.RunAsync(lights3, catalog, Quick, null, "validate", sample);
        Assert.That(ok.ExitCode, Is.Zero, ok.Output + ok.Errors);
        Assert.That(ok.Output, Does.Contain("ok — 1 endpoint(s): /products"));

        var broken = Path.Combine(catalog, "broken.yaml");
        await File.WriteAllTextAsync(broken, "endpoints:\n  - route: /x\n    fields:\n      a: { type: money }\n");
        var bad = await DotnetCli.RunAsync(lights3, catalog, Quick, null, "validate", broken);
        Assert.That(bad.ExitCode, Is.EqualTo(2), bad.Output + bad.Errors);
        Assert.That(bad.Errors, Does.Contain("endpoints[0].fields.a.type: unknown type 'money'"));

        var usage = await DotnetCli.RunAsync(lights3, catalog, Quick, null, "frobnicate");
        Assert.That(usage.ExitCode, Is.EqualTo(2), "a usage error (docs/cli.md)");
        Assert.That(usage.Errors, Does.Contain("'frobnicate'").And.Contain("lights3 --help"));
    }
}
