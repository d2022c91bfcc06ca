namespace LightS3.Jobs;

/// <summary>
/// A background service that runs one pass every <see cref="Interval"/> (off when not positive), starting after a random
/// share of it so that several instances spread out; a failed pass is reported and the next one runs on schedule.
/// </summary>
public abstract class PeriodicBackgroundService(TimeProvider time) : Microsoft.Extensions.Hosting.BackgroundService
{
    /// <summary>The clock the passes are scheduled by.</summary>
    protected TimeProvider Time { get; } = time;

    /// <summary>Time between passes.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>The shortest first delay, as a share of <see cref="Interval"/> (the rest of it is random).</summary>
    protected virtual double FirstDelayMinimum => 0;

    /// <summary>One pass.</summary>
    protected abstract Task RunOnceAsync(CancellationToken ct);

    /// <summary>Reports a pass that failed.</summary>
    protected abstract void OnFailure(Exception exception);

    /// <inheritdoc />
    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = Interval;
        if (interval <= TimeSpan.Zero) return;
        try
        {
            await Task.Delay(interval * (FirstDelayMinimum + Random.Shared.NextDouble() * (1 - FirstDelayMinimum)), Time, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    OnFailure(e);
                }
                await Task.Delay(interval, Time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
