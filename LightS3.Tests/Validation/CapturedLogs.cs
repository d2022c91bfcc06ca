using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LightS3.Tests.Validation;

/// <summary>A logger provider that keeps every entry, so a test can assert what a request logged and at which level.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Message, Exception? Exception)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Message, Exception? Exception)> Entries => _entries.ToList();

    /// <summary>
    /// What a rejected request must not log: warnings and errors, or an exception above debug level (the per-request
    /// information line of the request log is expected).
    /// </summary>
    public IEnumerable<string> Complaints => _entries.Where(e => e.Level >= LogLevel.Warning || (e.Exception is not null && e.Level > LogLevel.Debug))
        .Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Exception}");

    /// <summary>Registers this provider in an app's services (TestApp's configureServices hook).</summary>
    public void AddTo(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(this);

    public void Clear() => _entries.Clear();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._entries.Enqueue((logLevel, category, formatter(state, exception), exception));
    }
}
