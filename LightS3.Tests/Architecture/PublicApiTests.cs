using System.Reflection;
using PublicApiGenerator;

namespace LightS3.Tests.Architecture;

/// <summary>
/// The public API of each package is tracked: an accidental change (a type made public, a member renamed or removed)
/// fails here until the approved file is updated on purpose. To approve a change, copy the <c>.received.txt</c> file
/// this test writes over the <c>.approved.txt</c> beside it and review the diff in the commit.
/// </summary>
public sealed class PublicApiTests
{
    private static readonly string Folder = Path.Combine(Docs.DocSample.RepositoryRoot(), "LightS3.Tests", "Architecture", "PublicApi");

    private static IEnumerable<TestCaseData> Packages()
    {
        yield return new TestCaseData(typeof(LightS3App).Assembly).SetName("The public API of LightS3 is the approved one");
        yield return new TestCaseData(typeof(LightS3.Yaml.YamlApp).Assembly).SetName("The public API of LightS3.Yaml is the approved one");
        yield return new TestCaseData(typeof(LightS3.Testing.TestStorage).Assembly).SetName("The public API of LightS3.Testing is the approved one");
    }

    [TestCaseSource(nameof(Packages))]
    public void Public_api_is_approved(Assembly assembly)
    {
        var name = assembly.GetName().Name!;
        var api = assembly.GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false }).ReplaceLineEndings("\n");
        var approvedPath = Path.Combine(Folder, name + ".approved.txt");
        var receivedPath = Path.Combine(Folder, name + ".received.txt");
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : "";
        if (api == approved)
        {
            File.Delete(receivedPath);
            return;
        }
        File.WriteAllText(receivedPath, api);
        var now = api.Split('\n').ToHashSet();
        var before = approved.Split('\n').ToHashSet();
        var added = now.Except(before).Where(l => l.Trim().Length > 1).Take(15);
        var removed = before.Except(now).Where(l => l.Trim().Length > 1).Take(15);
        Assert.Fail($"The public API of {name} changed. If on purpose, copy {receivedPath} over {approvedPath}.\n"
            + "added:\n  " + string.Join("\n  ", added.Select(l => l.Trim())) + "\nremoved:\n  " + string.Join("\n  ", removed.Select(l => l.Trim())));
    }

    [Test]
    public void Implementation_types_stay_out_of_the_public_api()
    {
        var exported = typeof(LightS3App).Assembly.GetExportedTypes().Select(t => t.Name).ToHashSet();

        // named in the issue as internals that had leaked
        Assert.That(exported, Does.Not.Contain("QueryPlanner").And.Not.Contain("IndexEncoding").And.Not.Contain("UniqueMarkers").And.Not.Contain("JwtKeys"));
    }
}
