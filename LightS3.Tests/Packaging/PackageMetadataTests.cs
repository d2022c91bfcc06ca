using System.Xml.Linq;
using LightS3.Tests.Support;

namespace LightS3.Tests.Packaging;

/// <summary>What `dotnet pack` puts in each package: metadata, readme, licence, repository, symbols, package types.</summary>
[Category(External.Category)]
[NonParallelizable]
public sealed class PackageMetadataTests
{
    private static string? Value(XElement nuspec, string name) =>
        nuspec.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    private static XElement? Element(XElement nuspec, string name) =>
        nuspec.Descendants().FirstOrDefault(e => e.Name.LocalName == name);

    [TestCase("LightS3")]
    [TestCase("LightS3.Yaml")]
    [TestCase("LightS3.Cli")]
    [TestCase("LightS3.Templates")]
    public async Task Every_package_carries_version_authors_mit_licence_readme_and_repository(string id)
    {
        var feed = await LocalFeed.GetAsync();
        var nuspec = feed.Nuspec(id);
        Assert.Multiple(() =>
        {
            Assert.That(Value(nuspec, "version"), Is.EqualTo(feed.Version));
            Assert.That(Value(nuspec, "authors"), Is.EqualTo("LightS3 contributors"));
            Assert.That(Value(nuspec, "license"), Is.EqualTo("MIT"));
            Assert.That(Element(nuspec, "license")?.Attribute("type")?.Value, Is.EqualTo("expression"));
            Assert.That(Value(nuspec, "description"), Is.Not.Null.And.Length.GreaterThan(40));
            Assert.That(Value(nuspec, "readme"), Is.EqualTo("README.md"));
            Assert.That(feed.Entries(id), Does.Contain("README.md"));
            Assert.That(Element(nuspec, "repository")?.Attribute("url")?.Value, Is.EqualTo("https://github.com/lights3/lights3"));
        });
    }

    [TestCase("LightS3", "lib/net10.0/LightS3.pdb")]
    [TestCase("LightS3.Yaml", "lib/net10.0/LightS3.Yaml.pdb")]
    [TestCase("LightS3.Cli", "tools/net10.0/any/LightS3.Cli.pdb")]
    public async Task Libraries_and_the_tool_ship_symbols_in_a_snupkg_with_the_commit(string id, string pdb)
    {
        var feed = await LocalFeed.GetAsync();
        Assert.That(feed.Entries(id, "snupkg"), Does.Contain(pdb));
        Assert.That(Element(feed.Nuspec(id), "repository")?.Attribute("commit")?.Value, Does.Match("^[0-9a-f]{40}$"), "SourceLink found the commit");
    }

    [Test]
    public async Task LightS3_Yaml_is_a_library_and_the_host_is_the_lights3_tool()
    {
        var feed = await LocalFeed.GetAsync();
        var yaml = feed.Entries("LightS3.Yaml");
        Assert.That(yaml, Does.Contain("lib/net10.0/LightS3.Yaml.dll"));
        Assert.That(yaml.Where(e => e.EndsWith(".runtimeconfig.json", StringComparison.Ordinal)), Is.Empty, "no entry point");

        var cli = feed.Nuspec("LightS3.Cli");
        Assert.That(Element(cli, "packageType")?.Attribute("name")?.Value, Is.EqualTo("DotnetTool"));
        var tool = feed.Entries("LightS3.Cli");
        Assert.That(tool, Does.Contain("tools/net10.0/any/LightS3.Cli.dll").And.Contain("tools/net10.0/any/DotnetToolSettings.xml"));
        Assert.That(tool.Where(e => e.StartsWith("tools/", StringComparison.Ordinal) && e.EndsWith(".xml", StringComparison.Ordinal) && !e.EndsWith("/DotnetToolSettings.xml", StringComparison.Ordinal)),
            Is.Empty, "no XML docs in the tool");
        Assert.That(Element(feed.Nuspec("LightS3.Templates"), "packageType")?.Attribute("name")?.Value, Is.EqualTo("Template"));
    }

    [Test]
    public async Task The_templates_reference_the_version_being_packed()
    {
        var feed = await LocalFeed.GetAsync();
        using var zip = System.IO.Compression.ZipFile.OpenRead(feed.Package("LightS3.Templates"));
        foreach (var template in new[] { "lights3", "lights3-yaml" })
        {
            var entry = zip.GetEntry($"content/{template}/.template.config/template.json")
                ?? throw new AssertionException($"{template}: no template.json");
            using var reader = new StreamReader(entry.Open());
            var json = System.Text.Json.Nodes.JsonNode.Parse(await reader.ReadToEndAsync())!;
            Assert.That(json["symbols"]!["LightS3Version"]!["defaultValue"]!.GetValue<string>(), Is.EqualTo(feed.Version), template);
        }
    }
}
