using LightS3.Tests.Support;
using System.Diagnostics;

namespace LightS3.Tests.Cli;

/// <summary>What a run of the tool printed and returned.</summary>
public sealed record CliRun(int ExitCode, string Output, string Errors)
{
    /// <inheritdoc />
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Errors}";
}

/// <summary>
/// Runs the published tool (<c>dotnet $LIGHTS3_TEST_HOST_DIR/LightS3.Cli.dll</c>, the entry point the Dockerfile and the
/// .NET tool use) in a working directory with extra environment variables; output is redirected, so it is plain.
/// </summary>
public static class Lights3Process
{
    private static string HostDll => External.HostDll;

    /// <summary>Runs <c>lights3 args</c>; fails the test after <paramref name="timeoutSeconds"/>.</summary>
    public static async Task<CliRun> RunAsync(string workingDirectory, IDictionary<string, string?>? env, params string[] args) =>
        await RunAsync(workingDirectory, env, null, 120, args);

    /// <summary>Runs <c>lights3 args</c> with <paramref name="stdin"/> on standard input.</summary>
    public static Task<CliRun> RunAsync(string workingDirectory, IDictionary<string, string?>? env, string? stdin, int timeoutSeconds, params string[] args) =>
        RunAsync(workingDirectory, env, stdin, timeoutSeconds, null, args);

    /// <summary>Runs <c>lights3 args</c>, handing each line of standard error to <paramref name="errorLine"/> as it is written (to await what a run says).</summary>
    public static Task<CliRun> RunWatchingAsync(string workingDirectory, IDictionary<string, string?>? env, Action<string> errorLine, params string[] args) =>
        RunAsync(workingDirectory, env, null, 120, errorLine, args);

    private static async Task<CliRun> RunAsync(string workingDirectory, IDictionary<string, string?>? env, string? stdin, int timeoutSeconds,
        Action<string>? errorLine, string[] args)
    {
        var info = new ProcessStartInfo("dotnet", [HostDll, .. args])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment.Remove("LIGHTS3_CONFIG");
        info.Environment.Remove("LIGHTS3_JWT_SECRET");
        info.Environment.Remove("LIGHTS3_ADMIN_PASSWORD");
        foreach (var (k, v) in env ?? new Dictionary<string, string?>())
            if (v is null) info.Environment.Remove(k);
            else info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = errorLine is null ? process.StandardError.ReadToEndAsync() : ReadLinesAsync(process.StandardError, errorLine);
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"lights3 {string.Join(' ', args)} did not finish in {timeoutSeconds} s");
        }
        return new CliRun(process.ExitCode, await output, await errors);
    }

    private static async Task<string> ReadLinesAsync(StreamReader reader, Action<string> onLine)
    {
        var all = new System.Text.StringBuilder();
        while (await reader.ReadLineAsync() is { } line)
        {
            all.AppendLine(line);
            onLine(line);
        }
        return all.ToString();
    }
}
