using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LightS3.Jobs;

/// <summary>
/// A background job that runs on exactly one instance at a time, whatever the number of instances over the store: a run
/// happens only under the job's lease (<see cref="JobLeases"/>), which is renewed while the run lasts, and a run whose
/// lease is lost is cancelled. A periodic job (the default) takes the lease when its run is due (the lease object
/// records the last run, so instances share one schedule) and gives it up after the run; a job that holds the lease
/// between runs (<see cref="HoldBetweenRuns"/>, e.g. webhook dispatch) runs every <see cref="Interval"/> and is taken
/// over by another instance once its holder stops renewing for <see cref="JobOptions.LeaseDuration"/>. Restartable:
/// a job's progress lives in the store, not in the instance. Status: <see cref="JobStatusBoard"/> (and <c>/readyz</c>);
/// metrics: <see cref="JobMetrics"/>.
/// </summary>
public abstract class LeasedJob(JobLeases leases, JobStatusBoard board, IOptions<JobOptions> options, TimeProvider time, ILogger logger)
    : BackgroundService
{
    private JobLease? _lease;
    private DateTimeOffset _startedAt;
    private JobRunResult? _unrecorded;

    /// <summary>The job's name: its lease is <c>_lights3/jobs/{Name}.lease.json</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Time between runs; zero or negative turns the job off.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>Whether the holder keeps the lease between runs (continuous work) instead of giving it up after each run.</summary>
    protected virtual bool HoldBetweenRuns => false;

    /// <summary>The clock runs are scheduled by.</summary>
    protected TimeProvider Time { get; } = time;

    /// <summary>One run; <paramref name="ct"/> is cancelled at shutdown and when the lease is lost.</summary>
    protected abstract Task RunOnceAsync(CancellationToken ct);

    /// <summary>Called when this instance takes the lease, before its first run under it (e.g. to drop state cached under an earlier lease).</summary>
    protected virtual void OnLeaseAcquired()
    {
    }

    /// <summary>
    /// Records the progress of a run that lasts while the lease is held (webhook dispatch): its latest pass and error, shown
    /// by <c>/readyz</c> as a finished run's would be.
    /// </summary>
    private protected void ReportProgress(string? error) => board.Update(Name, s => s with { LastRunAt = Time.GetUtcNow(), LastError = error });

    /// <summary>Reports a run that failed (the run's error is also recorded in the lease and shown by <c>/readyz</c>).</summary>
    protected virtual void OnFailure(Exception exception) => logger.RunFailed(exception, Name);

    private TimeSpan LeaseDuration => options.Value.LeaseDuration;

    private TimeSpan CheckInterval => LeaseDuration / 3;

    /// <inheritdoc />
    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = Interval;
        board.Set(new JobStatus(Name, interval > TimeSpan.Zero, interval));
        if (interval <= TimeSpan.Zero) return;
        _startedAt = Time.GetUtcNow();
        try
        {
            // the first read waits one check interval (the lease cannot be due sooner for a job that just started, and a
            // fresh instance's requests stay its own), with a random part that spreads the instances' first reads
            var delay = Min(Interval, CheckInterval) * (1 + Random.Shared.NextDouble() * 0.2);
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(delay, Time, stoppingToken);
                delay = await TickAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await ReleaseAsync();
        }
    }

    /// <summary>One step of the schedule: take, renew or observe the lease, run when due; returns the wait until the next step.</summary>
    private async Task<TimeSpan> TickAsync(CancellationToken stop)
    {
        try
        {
            var now = Time.GetUtcNow();
            if (_lease is null)
            {
                var seen = await leases.ReadAsync(Name, stop);
                Observe(seen.State);
                if (!HoldBetweenRuns && DueAt(seen.State) is var due && due > now) return Jittered(due - now);
                if (seen.State is { } other && other.Holder != board.InstanceId && other.IsHeldAt(now)) return CheckInterval;
                _lease = await leases.TryTakeAsync(seen, board.InstanceId, LeaseDuration, stop);
                if (_lease is null) return CheckInterval; // another instance won the race
                JobMetrics.CountLease(Name, "acquired");
                logger.LeaseAcquired(Name, board.InstanceId);
                OnLeaseAcquired();
                Observe(_lease.State);
            }
            else if (now - _lease.State.RenewedAt >= CheckInterval)
            {
                if (!await RenewAsync(_unrecorded, stop)) return CheckInterval;
                _unrecorded = null;
            }
            await RunGuardedAsync(stop);
            return HoldBetweenRuns ? Interval : Jittered(Interval);
        }
        catch (Exception e) when (!stop.IsCancellationRequested)
        {
            // any store failure (unreachable, missing bucket, unexpected answer) is retried on the next step; a background
            // job must never stop the host
            logger.LeaseUnreachable(Name, e.Message);
            if (_lease is { } held && held.State.ExpiresAt <= Time.GetUtcNow()) LoseLease();
            return CheckInterval;
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private DateTimeOffset DueAt(JobLeaseState? state) => (state?.LastRunAt ?? _startedAt) + Interval;

    private TimeSpan Jittered(TimeSpan wait) => wait + CheckInterval * Random.Shared.NextDouble() * 0.1;

    private async Task RunGuardedAsync(CancellationToken stop)
    {
        using var run = CancellationTokenSource.CreateLinkedTokenSource(stop);
        using var guardStop = new CancellationTokenSource();
        var guard = KeepAliveAsync(run, guardStop.Token);
        var started = Time.GetTimestamp();
        string? error = null;
        try
        {
            await RunOnceAsync(run.Token);
        }
        catch (OperationCanceledException) when (run.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            error = "stopped: the lease was lost";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            error = e.Message;
            OnFailure(e);
        }
        finally
        {
            await guardStop.CancelAsync();
            await guard;
        }
        JobMetrics.CountRun(Name, error is null, Time.GetElapsedTime(started));
        var result = new JobRunResult(Time.GetUtcNow(), error);
        board.Update(Name, s => s with { LastRunAt = result.FinishedAt, LastError = error });
        if (_lease is null) return;
        if (HoldBetweenRuns)
        {
            _unrecorded = result; // written with the next renewal, not one PUT per run
            return;
        }
        var lease = _lease;
        _lease = null;
        if (await leases.ReleaseAsync(lease, result, CancellationToken.None)) JobMetrics.CountLease(Name, "released");
        board.Update(Name, s => s with { HeldHere = false, LeaseExpiresAt = result.FinishedAt });
    }

    /// <summary>Renews the lease every third of its duration while a run lasts; cancels the run when the lease is lost.</summary>
    private async Task KeepAliveAsync(CancellationTokenSource run, CancellationToken until)
    {
        try
        {
            while (true)
            {
                await Task.Delay(CheckInterval, Time, until);
                try
                {
                    if (await RenewAsync(null, until)) continue;
                }
                catch (Exception e) when (!until.IsCancellationRequested)
                {
                    logger.LeaseUnreachable(Name, e.Message);
                    if (_lease is { } held && held.State.ExpiresAt > Time.GetUtcNow() + CheckInterval) continue;
                    LoseLease();
                }
                await run.CancelAsync();
                return;
            }
        }
        catch (OperationCanceledException) when (until.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> RenewAsync(JobRunResult? run, CancellationToken ct)
    {
        if (_lease is not { } held) return false;
        var renewed = await leases.RenewAsync(held, LeaseDuration, run, ct);
        if (renewed is null)
        {
            LoseLease();
            return false;
        }
        _lease = renewed;
        Observe(renewed.State);
        return true;
    }

    private void LoseLease()
    {
        _lease = null;
        JobMetrics.CountLease(Name, "lost");
        logger.LeaseLost(Name);
        board.Update(Name, s => s with { HeldHere = false });
    }

    private void Observe(JobLeaseState? state) => board.Update(Name, s => s with
    {
        HeldHere = _lease is not null,
        Holder = state?.Holder is { Length: > 0 } h ? h : null,
        LeaseExpiresAt = state?.ExpiresAt,
        LastRunAt = state?.LastRunAt ?? s.LastRunAt,
        LastError = state is null ? s.LastError : state.LastError,
    });

    private async Task ReleaseAsync()
    {
        if (_lease is not { } held) return;
        _lease = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            if (await leases.ReleaseAsync(held, _unrecorded, timeout.Token)) JobMetrics.CountLease(Name, "released");
        }
        catch (Exception e)
        {
            logger.LeaseUnreachable(Name, e.Message); // it lapses by itself
        }
        board.Update(Name, s => s with { HeldHere = false });
    }
}
