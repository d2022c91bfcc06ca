using LightS3.Tests.Support;
using System.Diagnostics;

namespace LightS3.Tests.OpenApi;

/// <summary>
/// The npm tools the OpenAPI tests run (@redocly/cli, openapi-typescript, typescript), installed by scripts/test.sh into
/// <c>.artifacts/npm</c> (or <c>LIGHTS3_NPM_PREFIX</c>). A missing tool fails the test: it never skips.
/// </summary>
public static class NpmTools
{
    /// <summary>The repository root.</summary>
    public static string RepoRoot => Path.GetFullPath(Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", ".."));

    /// <summary>The npm prefix holding the tools.</summary>
    public static string Prefix => Environment.GetEnvironmentVariable("LIGHTS3_NPM_PREFIX") is { Length: > 0 } p ? p : Path.Combine(RepoRoot, ".artifacts", "npm");

    /// <summary>The path of an installed tool's executable; fails the test when it is not installed.</summary>
    public static string Bin(string name)
    {
        External.Require($"the npm tool {name}");
        var path = Path.Combine(Prefix, "node_modules", ".bin", name);
        if (!File.Exists(path))
            Assert.Fail($"{name} is not installed at {path}: run scripts/test.sh, or " +
                        $"npm install --prefix {Prefix} @redocly/cli@2.77.0 openapi-typescript@7.13.0 typescript@5.9.3");
        return path;
    }

    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/> in <paramref name="directory"/>; returns exit code and output.</summary>
    public static (int ExitCode, string Output) Run(string file, string directory, IDictionary<string, string>? environment = null, params string[] args)
    {
        External.Require($"the child process {Path.GetFileName(file)}");
        var info = new ProcessStartInfo(file, args) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["NO_COLOR"] = "1";
        info.Environment["REDOCLY_TELEMETRY"] = "off";
        info.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(file)} {string.Join(' ', args)} did not finish in 3 minutes");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>Lints an OpenAPI document with Redocly's recommended rules; fails on any error (warnings are reported).</summary>
    public static void AssertLintsClean(string json, string name)
    {
        var directory = Directory.CreateTempSubdirectory("lights3-openapi-").FullName;
        try
        {
            var file = Path.Combine(directory, name + ".json");
            File.WriteAllText(file, json);
            var (code, output) = Run(Bin("redocly"), directory, null, "lint", file, "--format=stylish");
            TestContext.Out.WriteLine(output);
            Assert.That(code, Is.Zero, $"redocly lint found errors in {name}:\n{output}");
            Assert.That(output, Does.Contain("validated"), "redocly did not validate the document");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
