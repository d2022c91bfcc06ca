using System.Text.RegularExpressions;
using Mono.Cecil;

namespace LightS3.Tests.Architecture;

/// <summary>
/// LightS3's concerns stack in one order, bottom first: a type may use types of its own layer and of layers below it,
/// never above — so there are no namespace cycles, the model sits at the bottom, storage is a leaf and HTTP is at the
/// edge. A type's layer is its namespace (<c>LightS3.Query</c> → Query); user-facing types live in the root namespace
/// <c>LightS3</c> (one <c>using LightS3;</c> for users) and take the layer of the folder their source file is in.
/// </summary>
public sealed partial class LayeringTests
{
    /// <summary>Bottom first. "" is the project folder itself: the base exception every layer may throw.</summary>
    private static readonly string[] Layers =
    [
        "", "Model", "Configuration", "Validation", "Storage", "Diagnostics", "Documents", "Migrations", "Query", "Caching", "Http",
        "Jobs", "Auth", "Pipeline", "Endpoints", "Changes", "Webhooks", "Shaping", "Files", "History", "OpenApi", "Admin", "S3Api", "Hosting",
    ];

    private static readonly Lazy<IReadOnlySet<(TypeDefinition From, TypeDefinition To)>> Dependencies =
        new(() => TypeDependencies.Read(typeof(LightS3Exception).Assembly.Location));

    private static readonly Lazy<IReadOnlyDictionary<string, string>> RootTypeFolders = new(ReadRootTypeFolders);

    [Test]
    public void Every_type_uses_only_its_own_layer_and_the_layers_below()
    {
        var violations = Dependencies.Value
            .Select(d => (d.From, d.To, FromLayer: LayerOf(d.From), ToLayer: LayerOf(d.To)))
            .Where(d => Rank(d.ToLayer) > Rank(d.FromLayer))
            .Select(d => $"{d.FromLayer}.{d.From.Name} uses {d.ToLayer}.{d.To.Name}")
            .Distinct().Order().ToList();
        Assert.That(violations, Is.Empty, "a lower layer uses a higher one (move the type, or invert the dependency):");
    }

    [Test]
    public void Storage_is_a_leaf_that_knows_only_the_base_and_its_settings()
    {
        var used = Dependencies.Value.Where(d => LayerOf(d.From) == "Storage").Select(d => LayerOf(d.To)).ToHashSet();
        Assert.That(used, Is.SubsetOf(new[] { "", "Configuration", "Storage" }));
    }

    [Test]
    public void No_layer_below_http_knows_asp_net_core_problem_responses()
    {
        const string problem = "LightS3.Http.ApiProblemException";
        Assert.That(typeof(LightS3Exception).Assembly.GetType(problem), Is.Not.Null);
        var users = Dependencies.Value.Where(d => d.To.FullName == problem && Rank(LayerOf(d.From)) < Rank("Http"))
            .Select(d => d.From.FullName).Distinct().ToList();
        Assert.That(users, Is.Empty, "domain code throws LightS3Exceptions, only the HTTP edge speaks in statuses");
    }

    [Test]
    public void Every_namespace_and_root_type_has_a_layer()
    {
        var types = typeof(LightS3Exception).Assembly.GetTypes()
            .Where(t => t.DeclaringType is null && t.Namespace?.StartsWith("LightS3", StringComparison.Ordinal) == true
                        && !t.Name.StartsWith('<'));
        var unplaced = types.Where(t => LayerOrNull(t.Namespace!, t.Name) is not { } layer || !Layers.Contains(layer))
            .Select(t => t.FullName).ToList();
        Assert.That(unplaced, Is.Empty, "add the namespace (or the root type's folder) to Layers, in its place");
    }

    private static int Rank(string layer) => Array.IndexOf(Layers, layer) is var i and >= 0 ? i : int.MaxValue;

    private static string LayerOf(TypeDefinition type) => LayerOrNull(type.Namespace, type.Name) ?? "?" + type.FullName;

    private static string? LayerOrNull(string ns, string name)
    {
        if (ns != "LightS3") return ns.Split('.')[1];
        var plain = name.Split('`')[0];
        return RootTypeFolders.Value.TryGetValue(plain, out var folder) ? folder : null;
    }

    // The root namespace's types by source folder (first folder under LightS3/, "" for the project folder itself).
    private static IReadOnlyDictionary<string, string> ReadRootTypeFolders()
    {
        var project = Path.Combine(Packaging.LocalFeed.RepoRoot, "LightS3");
        var folders = new Dictionary<string, string>();
        foreach (var file in Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(project, file);
            if (relative.StartsWith("obj", StringComparison.Ordinal) || relative.StartsWith("bin", StringComparison.Ordinal)) continue;
            var text = File.ReadAllText(file);
            if (!RootNamespace().IsMatch(text)) continue;
            var folder = Path.GetDirectoryName(relative) is { Length: > 0 } d ? d.Split(Path.DirectorySeparatorChar)[0] : "";
            foreach (Match m in TypeDeclaration().Matches(text)) folders[m.Groups[1].Value] = folder;
        }
        return folders;
    }

    [GeneratedRegex(@"^namespace LightS3;", RegexOptions.Multiline)]
    private static partial Regex RootNamespace();

    [GeneratedRegex(@"^(?:public|internal)\s+(?:(?:sealed|static|abstract|partial|readonly|record|ref)\s+)*(?:class|record|struct|enum|interface)\s+(\w+)", RegexOptions.Multiline)]
    private static partial Regex TypeDeclaration();
}
