using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LightS3.Tests.Support;

/// <summary>The suite's redis-server (started by scripts/test.sh), or a private one a test can kill and restart.</summary>
public sealed class RedisServer : IDisposable
{
    private Process? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    public string Url => $"redis://127.0.0.1:{Port}/0";

    /// <summary>The shared server's URL; fails (never skips) when it is not configured.</summary>
    public static string SharedUrl => External.Use("Redis", () =>
        Environment.GetEnvironmentVariable("LIGHTS3_TEST_REDIS") is { Length: > 0 } endpoint
            ? $"redis://{endpoint}/0"
            : throw new AssertionException("LIGHTS3_TEST_REDIS unset: run the suite with scripts/test.sh (it starts redis-server)"));

    /// <summary>A private redis-server on a free port.</summary>
    public static RedisServer StartPrivate()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        var server = new RedisServer(port);
        server.Start();
        return server;
    }

    public void Start()
    {
        External.Require("a private redis-server");
        _process = Process.Start(new ProcessStartInfo("redis-server", ["--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--enable-debug-command", "yes"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new AssertionException("redis-server could not be started (is it installed? scripts/test.sh installs it)");
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var c = new TcpClient();
                c.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        throw new AssertionException($"redis-server did not listen on {Port}");
    }

    public void Kill()
    {
        if (_process is { HasExited: false }) _process.Kill();
        _process?.WaitForExit();
        _process?.Dispose();
        _process = null;
    }

    public void Dispose() => Kill();
}

/// <summary>Collects log messages for assertions.</summary>
public sealed class CapturingLoggerProvider : Microsoft.Extensions.Logging.ILoggerProvider
{
    private readonly List<(string Category, Microsoft.Extensions.Logging.LogLevel Level, string Message, Exception? Error)> _entries = [];

    public IReadOnlyList<(string Category, Microsoft.Extensions.Logging.LogLevel Level, string Message, Exception? Error)> Entries
    {
        get { lock (_entries) return [.. _entries]; }
    }

    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => logLevel >= Microsoft.Extensions.Logging.LogLevel.Information;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._entries) owner._entries.Add((category, logLevel, formatter(state, exception), exception));
        }
    }
}
