using LightS3.Tests.Support;
using System.IO.Compression;
using System.Xml.Linq;

namespace LightS3.Tests.Packaging;

/// <summary>
/// The repository's packages (LightS3, LightS3.Yaml, LightS3.Cli, LightS3.Testing, LightS3.Templates), packed once per test run into a
/// temporary folder feed with a version of their own (<c>0.1.0-ptest-…</c>): nothing else in the world carries that
/// version, so a project that restores it got it from this folder, never from a registry or a stale cache.
/// </summary>
internal sealed class LocalFeed
{
    private static readonly Lazy<Task<LocalFeed>> Shared = new(PackAsync);
    private static LocalFeed? _packed;

    /// <summary>The package ids packed, as NuGet lowercases them in its folders.</summary>
    public static readonly string[] PackageIds = ["LightS3", "LightS3.Yaml", "LightS3.Cli", "LightS3.Testing", "LightS3.Templates"];

    private LocalFeed(string root, string version)
    {
        Root = root;
        Version = version;
    }

    /// <summary>The temporary directory holding the feed, the template hive and everything the tests create.</summary>
    public string Root { get; }

    /// <summary>The folder feed of .nupkg and .snupkg files.</summary>
    public string Folder => Path.Combine(Root, "feed");

    /// <summary>The packed version.</summary>
    public string Version { get; }

    /// <summary>The repository's root directory.</summary>
    public static string RepoRoot => Path.GetFullPath(Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", ".."));

    /// <summary>Packs once, on first use; every later call gets the same feed.</summary>
    public static Task<LocalFeed> GetAsync() => External.Use("dotnet pack", () => Shared.Value);

    /// <summary>The path of package <paramref name="id"/>'s .nupkg (or .snupkg) in the feed; fails when missing.</summary>
    public string Package(string id, string extension = "nupkg")
    {
        var path = Path.Combine(Folder, $"{id}.{Version}.{extension}");
        return File.Exists(path) ? path : throw new AssertionException($"{Path.GetFileName(path)} was not packed; the feed has: {string.Join(", ", Directory.GetFiles(Folder).Select(Path.GetFileName))}");
    }

    /// <summary>The .nuspec of package <paramref name="id"/>.</summary>
    public XElement Nuspec(string id)
    {
        using var zip = ZipFile.OpenRead(Package(id));
        var entry = zip.Entries.Single(e => e.FullName == $"{id}.nuspec");
        using var stream = entry.Open();
        return XElement.Load(stream);
    }

    /// <summary>The file names inside package <paramref name="id"/>.</summary>
    public IReadOnlyList<string> Entries(string id, string extension = "nupkg")
    {
        using var zip = ZipFile.OpenRead(Package(id, extension));
        return [.. zip.Entries.Select(e => e.FullName)];
    }

    /// <summary>
    /// A NuGet.config for a project under <see cref="Root"/>: the machine's own sources for third-party packages
    /// (AWSSDK, NUnit, …) plus this folder for LightS3's.
    /// </summary>
    public string WriteNuGetConfig(string directory)
    {
        var path = Path.Combine(directory, "nuget.config");
        new XDocument(new XElement("configuration",
            new XElement("packageSources",
                new XElement("add", new XAttribute("key", "lights3-local"), new XAttribute("value", Folder))))).Save(path);
        return path;
    }

    private static async Task<LocalFeed> PackAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), $"lights3-packaging-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        // stop MSBuild's upward search for Directory.Build.* / Directory.Packages.props at the temp root
        foreach (var name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
            await File.WriteAllTextAsync(Path.Combine(root, name), "<Project />\n");
        var feed = new LocalFeed(root, $"0.1.0-ptest-{Guid.NewGuid():N}"[..24]);
        _packed = feed;

        // one MSBuild invocation over the four projects; outputs go under the temp root, not the repository's bin/obj
        var solution = Path.Combine(root, "pack.slnx");
        await File.WriteAllTextAsync(solution, new XElement("Solution",
            new[] { "LightS3/LightS3.csproj", "LightS3.Yaml/LightS3.Yaml.csproj", "LightS3.Cli/LightS3.Cli.csproj", "LightS3.Testing/LightS3.Testing.csproj", "templates/LightS3.Templates.csproj" }
                .Select(p => new XElement("Project", new XAttribute("Path", Path.Combine(RepoRoot, p))))).ToString());
        await DotnetCli.SucceedAsync(root, TimeSpan.FromMinutes(8), "pack", solution, "-c", "Release", "--nologo",
            "-o", feed.Folder, "--artifacts-path", Path.Combine(root, "artifacts"),
            "--version-suffix", feed.Version["0.1.0-".Length..]);
        return feed;
    }

    /// <summary>Deletes the temp root and the packed version from the machine's NuGet package folder.</summary>
    public static void CleanUp()
    {
        if (_packed is not { } feed) return;
        try { Directory.Delete(feed.Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
            ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in PackageIds)
        {
            var dir = Path.Combine(packages, id.ToLowerInvariant(), feed.Version);
            try
            {
                if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
                var parent = Path.GetDirectoryName(dir)!;
                if (Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any()) Directory.Delete(parent);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
