using System.Threading.Channels;
using LightS3.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LightS3.Pipeline;

/// <summary>
/// Runs work scheduled with <c>Context.Background(...)</c> after the response has been sent (LightAPI's
/// <c>self.background</c>). A failing task is logged and never affects the app; on shutdown, running tasks get
/// <c>BackgroundShutdownTimeout</c> to finish, then their token is cancelled.
/// </summary>
public sealed class BackgroundTasks(ILogger<BackgroundTasks> logger, IOptions<LightS3Options> options) : BackgroundService
{
    private readonly Channel<Func<CancellationToken, Task>> _queue = Channel.CreateUnbounded<Func<CancellationToken, Task>>();
    private readonly List<Task> _running = [];
    private readonly CancellationTokenSource _abort = new();

    /// <summary>Queues work to run now, off the request.</summary>
    public void Enqueue(Func<CancellationToken, Task> work)
    {
        if (!_queue.Writer.TryWrite(work)) logger.BackgroundTaskDropped();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var work in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                var task = Task.Run(() => RunAsync(work), CancellationToken.None);
                lock (_running) _running.Add(task);
                _ = task.ContinueWith(t => { lock (_running) _running.Remove(t); }, TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RunAsync(Func<CancellationToken, Task> work)
    {
        try
        {
            await work(_abort.Token);
        }
        catch (Exception e)
        {
            logger.BackgroundTaskFailed(e);
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
        Task[] running;
        lock (_running) running = [.. _running];
        var all = Task.WhenAll(running);
        if (await Task.WhenAny(all, Task.Delay(options.Value.BackgroundShutdownTimeout, CancellationToken.None)) != all)
        {
            logger.BackgroundTasksCancelled(running.Count(t => !t.IsCompleted));
            await _abort.CancelAsync();
            // let cancelled tasks run their cancellation handlers (bounded: a task that ignores its token is abandoned)
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None));
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _abort.Dispose();
        base.Dispose();
    }
}
