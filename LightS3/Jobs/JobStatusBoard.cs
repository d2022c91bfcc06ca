using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace LightS3.Jobs;

/// <summary>What this instance knows of one job: whether it runs here, the lease it last saw, its last run and error.</summary>
public sealed record JobStatus(string Name, bool Enabled, TimeSpan Interval)
{
    /// <summary>Whether this instance holds the job's lease.</summary>
    public bool HeldHere { get; init; }

    /// <summary>The holder in the lease object last read or written here (null: never taken).</summary>
    public string? Holder { get; init; }

    /// <summary>When that lease lapses.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>When the job last finished a run (on any instance, as the lease object says).</summary>
    public DateTimeOffset? LastRunAt { get; init; }

    /// <summary>The last run's error, null when it succeeded.</summary>
    public string? LastError { get; init; }
}

/// <summary>The status of every leased job of this app, for <c>/readyz</c> and the <c>lights3.jobs.held</c> gauge.</summary>
public sealed class JobStatusBoard : IDisposable
{
    private readonly ConcurrentDictionary<string, JobStatus> _jobs = new(StringComparer.Ordinal);

    /// <summary>Creates the board and this instance's holder id.</summary>
    public JobStatusBoard(IOptions<JobOptions> options)
    {
        InstanceId = options.Value.InstanceId is { Length: > 0 } id ? id
            : $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";
        JobMetrics.Track(this);
    }

    /// <summary>This instance's holder id in lease objects.</summary>
    public string InstanceId { get; }

    /// <summary>Every job, by name.</summary>
    public IReadOnlyList<JobStatus> All => [.. _jobs.Values.OrderBy(j => j.Name, StringComparer.Ordinal)];

    /// <summary>One job's status, or null when no such job runs here.</summary>
    public JobStatus? Get(string name) => _jobs.GetValueOrDefault(name);

    internal void Set(JobStatus status) => _jobs[status.Name] = status;

    internal void Update(string name, Func<JobStatus, JobStatus> change) => _jobs.AddOrUpdate(name, _ => throw new InvalidOperationException(name), (_, s) => change(s));

    /// <inheritdoc />
    public void Dispose() => JobMetrics.Untrack(this);
}
