namespace LightS3.Tests.Docs;

/// <summary>
/// Every <c>```csharp</c> block of README.md and docs/*.md compiles against LightS3 (see <see cref="DocSampleCompiler"/>
/// for the conventions); a block marked <c>&lt;!-- fragment --&gt;</c> on the line above is skipped.
/// </summary>
[TestFixture]
public class DocSampleTests
{
    private static IEnumerable<TestCaseData> Samples() =>
        DocSample.All(DocSample.RepositoryRoot())
            .Where(s => !s.IsFragment)
            .Select(s => new TestCaseData(s).SetName($"Doc sample compiles: {s}"));

    [TestCaseSource(nameof(Samples))]
    public void Doc_sample_compiles(DocSample sample)
    {
        var errors = DocSampleCompiler.Errors(sample);

        Assert.That(errors, Is.Empty,
            $"The C# sample at {sample} (the ```csharp line) does not compile:\n  " + string.Join("\n  ", errors));
    }

    [Test]
    public void The_docs_have_csharp_samples_and_few_fragments()
    {
        var all = DocSample.All(DocSample.RepositoryRoot()).ToList();

        Assert.That(all, Has.Count.GreaterThan(20), "the extractor finds the ```csharp blocks");
        Assert.That(all.Count(s => s.IsFragment), Is.LessThanOrEqualTo(3),
            "fragments are rare exceptions: " + string.Join(", ", all.Where(s => s.IsFragment)));
    }

    [Test]
    public void A_sample_that_does_not_compile_is_reported_with_the_compiler_error()
    {
        var broken = new DocSample("docs/x.md", 7, "var app = LightS3App.Create(args);\napp.Registr(\"/x\", typeof(int));", false);

        var errors = DocSampleCompiler.Errors(broken);

        Assert.That(errors, Has.Some.Contains("CS1061").And.Contains("Registr"));
    }
}
