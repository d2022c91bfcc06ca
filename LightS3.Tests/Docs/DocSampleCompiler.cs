using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LightS3.Tests.Docs;

/// <summary>
/// Compiles a documentation sample the way a user would paste it: with the usings of a web project
/// (<c>ImplicitUsings</c>) plus the LightS3 namespaces, nullable on and warnings as errors, against the shared
/// framework, LightS3, LightS3.Yaml and FluentValidation. Conventions of the docs the compiler honours: a body
/// written <c>{ ... }</c> is empty, a line that is only <c>…</c> elides code, a block of members (starting with
/// <c>public override</c>) is the body of an endpoint class, statements that use <c>builder</c> or <c>app</c>
/// without declaring them get <c>WebApplication.CreateBuilder(args)</c> and <c>builder.Build()</c> (a plain
/// <c>WebApplication</c>), and <c>BookEndpoint</c>, <c>ProductEndpoint</c> and <c>IPriceList</c> exist
/// unless the block declares its own. A block with statements compiles as a program, as written: its types must come
/// after its statements, as in a Program.cs.
/// </summary>
public static partial class DocSampleCompiler
{
    /// <summary>The namespaces every sample may use without a using directive of its own.</summary>
    public static readonly string[] Usings =
    [
        // the Web SDK's implicit usings
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Net.Http.Json",
        "System.Threading", "System.Threading.Tasks", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Routing", "Microsoft.Extensions.Configuration",
        "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging",
        // what the README lists for LightS3 code: one namespace for the framework, one for the YAML front door
        "System.Text.Json.Nodes", "LightS3", "LightS3.Yaml", "FluentValidation",
    ];

    private const string AmbientTypes = """
        namespace DocSamples.Ambient
        {
            public class BookEndpoint : RestEndpoint<BookEndpoint>
            {
                public string Title { get; set; } = "";
                public string Author { get; set; } = "";
            }
            public class ProductEndpoint : RestEndpoint<ProductEndpoint>
            {
                public string Title { get; set; } = "";
                public string Category { get; set; } = "";
                public decimal Price { get; set; }
                public decimal? SalePrice { get; set; }
                public int? Stock { get; set; }
            }
            public interface IPriceList { decimal PriceOf(string sku); }
            /// <summary>The app's entry point class, as a test project sees it.</summary>
            public partial class Program { }
        }
        """;

    private static readonly CSharpParseOptions Parse = new(LanguageVersion.Latest);

    private static readonly Lazy<MetadataReference[]> References = new(LoadReferences);

    /// <summary>The errors (warnings included) of compiling <paramref name="sample"/>, as readable lines.</summary>
    public static IReadOnlyList<string> Errors(DocSample sample)
    {
        var code = Normalise(sample.Code);
        var memberBlock = MemberBlock().IsMatch(code);
        if (memberBlock) code = "public class DocSampleEndpoint : RestEndpoint<DocSampleEndpoint>\n{\n" + code + "\n}";
        var tree = CSharpSyntaxTree.ParseText(code, Parse, path: sample.ToString());
        var root = tree.GetCompilationUnitRoot();
        var program = root.Members.OfType<GlobalStatementSyntax>().Any();
        if (program && Prelude(code) is { Length: > 0 } prelude)
        {
            var afterUsings = root.Usings.LastOrDefault()?.FullSpan.End ?? 0;   // the block's own usings stay first
            tree = CSharpSyntaxTree.ParseText(code.Insert(afterUsings, prelude), Parse, path: sample.ToString());
        }
        var globals = CSharpSyntaxTree.ParseText(
            string.Concat(Usings.Append("DocSamples.Ambient").Select(u => $"global using {u};\n")), Parse, path: "usings.cs");
        var ambient = CSharpSyntaxTree.ParseText(AmbientTypes, Parse, path: "ambient.cs");
        var compilation = CSharpCompilation.Create(
            "DocSample",
            [globals, ambient, tree],
            References.Value,
            new CSharpCompilationOptions(program ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                generalDiagnosticOption: ReportDiagnostic.Error,
                // what csc and the SDK leave out too: the unification of older framework references (FluentValidation's)
                specificDiagnosticOptions: [new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]));
        using var output = new MemoryStream();
        var result = compilation.Emit(output);
        return result.Diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => Describe(d))
            .ToList();
    }

    private static string Describe(Diagnostic d)
    {
        var span = d.Location.GetLineSpan();
        var line = d.Location.SourceTree?.GetText().Lines[span.StartLinePosition.Line].ToString().Trim();
        return $"{d.Id}: {d.GetMessage()}  [in: {line}]";
    }

    /// <summary>The statements that declare <c>builder</c> and <c>app</c> when the sample uses them undeclared.</summary>
    private static string Prelude(string code)
    {
        var prelude = "";
        var usesBuilder = Uses(code, "builder");
        if (usesBuilder && !Declares(code, "builder")) prelude += "var builder = WebApplication.CreateBuilder(args);\n";
        if (Uses(code, "app") && !Declares(code, "app"))
            prelude += (usesBuilder ? "" : "var builder = WebApplication.CreateBuilder(args);\n") + "var app = builder.Build();\n";
        return prelude;
    }

    private static bool Uses(string code, string name) => Regex.IsMatch(code, $@"(?<![\w.]){name}\.");

    private static bool Declares(string code, string name) => Regex.IsMatch(code, $@"\bvar\s+{name}\s*=");

    private static string Normalise(string code) =>
        ElidedLine().Replace(ElidedBody().Replace(code, "{ }"), "");

    [GeneratedRegex(@"\{\s*\.\.\.\s*\}")]
    private static partial Regex ElidedBody();

    [GeneratedRegex(@"^\s*(…|\.\.\.)\s*$", RegexOptions.Multiline)]
    private static partial Regex ElidedLine();

    [GeneratedRegex(@"^\s*(public|protected)\s+(override|virtual)\b")]
    private static partial Regex MemberBlock();

    private static MetadataReference[] LoadReferences()
    {
        var shared = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => p.Contains($"{Path.DirectorySeparatorChar}shared{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        var lights3 = new[] { typeof(LightS3.LightS3App).Assembly, typeof(LightS3.Yaml.YamlApp).Assembly, typeof(FluentValidation.AbstractValidator<>).Assembly,
            typeof(LightS3.Testing.LightS3AppFactory<>).Assembly, typeof(NUnit.Framework.Assert).Assembly };
        var packages = lights3
            .SelectMany(a => a.GetReferencedAssemblies().Select(TryLoad).Append(a))
            .OfType<Assembly>()
            .Select(a => a.Location);
        return shared.Concat(packages)
            .Where(p => p.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray();
    }

    private static Assembly? TryLoad(AssemblyName name)
    {
        try { return Assembly.Load(name); }
        catch (FileNotFoundException) { return null; }
    }
}
