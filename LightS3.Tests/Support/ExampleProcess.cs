using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LightS3.Tests.Support;

/// <summary>Runs the Books example as a separate OS process (for cross-process guarantees).</summary>
public sealed class ExampleProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ExampleProcess(Process process, string url)
    {
        _process = process;
        Client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }

    /// <summary>The built Books.dll of the same configuration as the tests.</summary>
    public static string BooksDll
    {
        get
        {
            // LightS3.Tests/bin/<Config>/net10.0 -> examples/Books/bin/<Config>/net10.0/Books.dll
            External.Require("the Books example as a child process");
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            var config = dir.Parent!.Name;
            var root = dir.Parent!.Parent!.Parent!.Parent!.FullName;
            var dll = Path.Combine(root, "examples", "Books", "bin", config, dir.Name, "Books.dll");
            return File.Exists(dll) ? dll : throw new AssertionException($"Books example not built at {dll}");
        }
    }

    public static async Task<ExampleProcess> StartAsync(IDictionary<string, string> environment)
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var info = new ProcessStartInfo("dotnet", [BooksDll, "--urls", url])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (k, v) in environment) info.Environment[k] = v;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var example = new ExampleProcess(process, url);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new AssertionException($"Books exited with {process.ExitCode}");
            try
            {
                await example.Client.GetAsync("/books");
                return example;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }
        await example.DisposeAsync();
        throw new AssertionException("Books did not start within 30 s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
