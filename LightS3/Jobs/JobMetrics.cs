using System.Diagnostics.Metrics;
using LightS3.Diagnostics;

namespace LightS3.Jobs;

/// <summary>
/// Metrics of leased jobs on LightS3's meter (<see cref="LightS3Telemetry.Meter"/>), each tagged <c>lights3.job</c>:
/// <c>lights3.jobs.runs</c> (tagged <c>lights3.job.outcome</c> ok or failed), <c>lights3.jobs.duration</c>,
/// <c>lights3.jobs.lease_changes</c> (tagged <c>lights3.job.lease</c> acquired, lost or released) and the gauge
/// <c>lights3.jobs.held</c> (1 on the instance that holds the job).
/// </summary>
public static class JobMetrics
{
    /// <summary>Runs of a job on this instance.</summary>
    public static readonly Counter<long> Runs = LightS3Telemetry.Meter.CreateCounter<long>("lights3.jobs.runs", "{run}", "Runs of leased background jobs");

    /// <summary>Duration of runs.</summary>
    public static readonly Histogram<double> Duration = LightS3Telemetry.Meter.CreateHistogram<double>("lights3.jobs.duration", "s", "Duration of leased background job runs");

    /// <summary>Leases acquired, lost and released by this instance.</summary>
    public static readonly Counter<long> LeaseChanges = LightS3Telemetry.Meter.CreateCounter<long>("lights3.jobs.lease_changes", "{change}", "Job leases acquired, lost or released by this instance");

    private static readonly List<JobStatusBoard> Boards = [];

    static JobMetrics() =>
        LightS3Telemetry.Meter.CreateObservableGauge("lights3.jobs.held", Observe, "{lease}", "1 for each job whose lease this instance holds");

    internal static void Track(JobStatusBoard board)
    {
        lock (Boards) Boards.Add(board);
    }

    internal static void Untrack(JobStatusBoard board)
    {
        lock (Boards) Boards.Remove(board);
    }

    private static IEnumerable<Measurement<int>> Observe()
    {
        JobStatusBoard[] boards;
        lock (Boards) boards = [.. Boards];
        foreach (var board in boards)
            foreach (var job in board.All)
                yield return new Measurement<int>(job.HeldHere ? 1 : 0, new KeyValuePair<string, object?>("lights3.job", job.Name));
    }

    internal static void CountRun(string job, bool ok, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("lights3.job", job);
        Runs.Add(1, tag, new KeyValuePair<string, object?>("lights3.job.outcome", ok ? "ok" : "failed"));
        Duration.Record(elapsed.TotalSeconds, tag);
    }

    internal static void CountLease(string job, string change) =>
        LeaseChanges.Add(1, new KeyValuePair<string, object?>("lights3.job", job), new KeyValuePair<string, object?>("lights3.job.lease", change));
}
