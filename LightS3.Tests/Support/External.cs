using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace LightS3.Tests.Support;

/// <summary>
/// The category of tests that need something outside the process: RGW, Redis, Chromium, the npm tools, packaging or a
/// child process. The quick loop (<c>scripts/test.sh --quick</c>) leaves them out, so every helper that reaches such a
/// service calls <see cref="Require"/>: a test that uses one without the category fails in every run, not only quick ones.
/// </summary>
public static class External
{
    public const string Category = "External";

    /// <summary>The published host's LightS3.Cli.dll (scripts/test.sh publishes it to LIGHTS3_TEST_HOST_DIR), to run as a child process.</summary>
    public static string HostDll => Use("the published lights3 host as a child process", () =>
        Environment.GetEnvironmentVariable("LIGHTS3_TEST_HOST_DIR") is { Length: > 0 } dir
            ? Path.Combine(dir, "LightS3.Cli.dll")
            : throw new AssertionException("LIGHTS3_TEST_HOST_DIR unset: run the suite with scripts/test.sh (it publishes LightS3.Cli, the host)"));

    /// <summary><see cref="Require"/>, then <paramref name="value"/> (for expression-bodied helpers and shared Lazy values,
    /// which would otherwise cache one uncategorised test's failure for every later test).</summary>
    public static T Use<T>(string what, Func<T> value)
    {
        Require(what);
        return value();
    }

    /// <summary>Fails the current test unless it, its fixture or a parent suite carries the External category.</summary>
    public static void Require(string what)
    {
        // Calls outside any test (a background thread with no flowed context, a static initializer) are not checked.
        var test = TestExecutionContext.CurrentContext.CurrentTest;
        if (test is null || test.Parent is null) return;
        for (ITest? t = test; t is not null; t = t.Parent)
            if (t.Properties[PropertyNames.Category].Contains(Category)) return;
        throw new AssertionException(
            $"{test.FullName} uses {what} but has no [Category(\"{Category}\")] (on the fixture, or on the S3 variant: " +
            $"[TestFixture(TestStore.S3, Category = \"{Category}\")]); the quick loop, which runs without services, would run it");
    }
}
