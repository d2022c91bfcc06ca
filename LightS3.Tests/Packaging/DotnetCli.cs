using LightS3.Tests.Support;
using System.Diagnostics;
using System.Text;

namespace LightS3.Tests.Packaging;

/// <summary>
/// Runs the <c>dotnet</c> CLI (or a tool it installed) as a child process with a deadline, isolated from the
/// MSBuild state of the test run, and fails the test with the command's output when it doesn't succeed.
/// </summary>
internal static class DotnetCli
{
    /// <summary>The outcome of one command: exit code and interleaved stdout/stderr.</summary>
    public sealed record Result(int ExitCode, string Output, string Errors);

    /// <summary>Runs <c>dotnet <paramref name="args"/></c> and asserts it exits 0.</summary>
    public static async Task<Result> SucceedAsync(string workingDirectory, TimeSpan timeout, params string[] args)
    {
        var result = await RunAsync("dotnet", workingDirectory, timeout, null, args);
        if (result.ExitCode != 0)
            Assert.Fail($"`dotnet {string.Join(' ', args)}` exited {result.ExitCode}:\n{Tail(result.Output + result.Errors)}");
        return result;
    }

    /// <summary>Runs <paramref name="fileName"/> to completion, or kills it and fails at <paramref name="timeout"/>.</summary>
    public static async Task<Result> RunAsync(string fileName, string workingDirectory, TimeSpan timeout,
        IDictionary<string, string>? environment, params string[] args)
    {
        using var process = Start(fileName, workingDirectory, environment, args, out var output, out var errors);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"`{fileName} {string.Join(' ', args)}` did not finish within {timeout.TotalSeconds:0} s:\n{Tail(output.ToString() + errors)}");
        }
        process.WaitForExit(); // drains the redirected streams
        lock (output) lock (errors) return new Result(process.ExitCode, output.ToString(), errors.ToString());
    }

    /// <summary>Starts <paramref name="fileName"/> without waiting; its output accumulates in the two builders.</summary>
    public static Process Start(string fileName, string workingDirectory, IDictionary<string, string>? environment,
        IEnumerable<string> args, out StringBuilder output, out StringBuilder errors)
    {
        External.Require($"the child process {fileName}");
        var info = new ProcessStartInfo(fileName, args)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // `dotnet test` hands its own MSBuild location to the test host: a nested build must find its SDK by itself
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            info.Environment.Remove(key);
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1"; // no MSBuild worker outlives the test
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;

        var o = new StringBuilder();
        var e = new StringBuilder();
        var process = Process.Start(info) ?? throw new AssertionException($"could not start {fileName}");
        process.OutputDataReceived += (_, d) => { if (d.Data is not null) lock (o) o.AppendLine(d.Data); };
        process.ErrorDataReceived += (_, d) => { if (d.Data is not null) lock (e) e.AppendLine(d.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        output = o;
        errors = e;
        return process;
    }

    /// <summary>The end of a long output, where build errors are.</summary>
    public static string Tail(string text, int length = 6000) => text.Length <= length ? text : "…" + text[^length..];
}
