namespace LightS3.Tests.Docs;

/// <summary>One fenced <c>```csharp</c> block of a markdown file: where it is and its code.</summary>
public sealed record DocSample(string File, int Line, string Code, bool IsFragment)
{
    /// <summary>
    /// The marker, on the line above a block, that excludes a deliberate fragment from compilation:
    /// <c>&lt;!-- fragment --&gt;</c> or <c>&lt;!-- fragment: why --&gt;</c>.
    /// </summary>
    public const string FragmentMarker = "<!-- fragment";

    /// <summary>The C# blocks of <paramref name="markdownPath"/>, named relative to <paramref name="root"/>.</summary>
    public static IEnumerable<DocSample> Read(string root, string markdownPath)
    {
        var lines = System.IO.File.ReadAllLines(markdownPath);
        var name = Path.GetRelativePath(root, markdownPath).Replace('\\', '/');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```csharp") continue;
            var start = i;
            var code = new List<string>();
            for (i++; i < lines.Length && !lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal); i++) code.Add(lines[i]);
            var above = lines.Take(start).LastOrDefault(l => l.Trim().Length > 0)?.Trim();
            yield return new DocSample(name, start + 1, string.Join('\n', code), above?.StartsWith(FragmentMarker, StringComparison.Ordinal) == true);
        }
    }

    /// <summary>Every C# block of README.md and docs/*.md under <paramref name="root"/>.</summary>
    public static IEnumerable<DocSample> All(string root) =>
        new[] { Path.Combine(root, "README.md") }
            .Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal))
            .SelectMany(path => Read(root, path));

    /// <summary>The repository root: the first directory above the test binaries that holds LightS3.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "LightS3.sln"))) return dir.FullName;
        throw new InvalidOperationException("LightS3.sln not found above " + TestContext.CurrentContext.TestDirectory);
    }

    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}";
}
