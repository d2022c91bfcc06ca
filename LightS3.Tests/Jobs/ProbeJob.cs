using System.Collections.Concurrent;
using LightS3.Jobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LightS3.Tests.Jobs;

/// <summary>What a <see cref="ProbeJob"/> does and what it saw, shared by the instances of one test.</summary>
public sealed class ProbeJobState
{
    public string Name { get; init; } = "probe";
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(50);
    public bool Hold { get; init; } = true;
    public TimeSpan RunTime { get; init; } = TimeSpan.FromMilliseconds(20);
    public bool Fail { get; set; }

    private int _active;
    public int MaxActive;
    public ConcurrentDictionary<string, int> RunsByInstance { get; } = new();
    public ConcurrentQueue<(string Instance, DateTimeOffset At)> Runs { get; } = new();
    public int TotalRuns => RunsByInstance.Values.Sum();

    internal async Task RunAsync(string instance, CancellationToken ct)
    {
        var active = Interlocked.Increment(ref _active);
        try
        {
            int max;
            while (active > (max = Volatile.Read(ref MaxActive)) && Interlocked.CompareExchange(ref MaxActive, active, max) != max) { }
            RunsByInstance.AddOrUpdate(instance, 1, (_, n) => n + 1);
            Runs.Enqueue((instance, DateTimeOffset.UtcNow));
            if (Fail) throw new InvalidOperationException("probe failed");
            await Task.Delay(RunTime, ct);
        }
        finally
        {
            Interlocked.Decrement(ref _active);
        }
    }
}

/// <summary>A leased job that records its runs in a <see cref="ProbeJobState"/>.</summary>
public sealed class ProbeJob(ProbeJobState state, JobLeases leases, JobStatusBoard board, IOptions<JobOptions> options, TimeProvider time, ILogger<ProbeJob> logger)
    : LeasedJob(leases, board, options, time, logger)
{
    private readonly string _instance = board.InstanceId;

    public override string Name => state.Name;
    protected override TimeSpan Interval => state.Interval;
    protected override bool HoldBetweenRuns => state.Hold;
    protected override Task RunOnceAsync(CancellationToken ct) => state.RunAsync(_instance, ct);
}
