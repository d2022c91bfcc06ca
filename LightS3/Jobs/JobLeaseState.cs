using System.Text.Json.Serialization;

namespace LightS3.Jobs;

/// <summary>
/// The content of a lease object (<c>_lights3/jobs/{name}.lease.json</c>): who holds the job and until when, plus the
/// job's last run and last error, so any instance (and <c>/readyz</c>) sees them.
/// </summary>
public sealed record JobLeaseState
{
    /// <summary>The holder's instance id.</summary>
    [JsonPropertyName("holder")] public string Holder { get; init; } = "";

    /// <summary>A fresh value per acquisition: tells this holder's own write apart from an earlier one of the same holder.</summary>
    [JsonPropertyName("token")] public string Token { get; init; } = "";

    /// <summary>When the holder took the lease.</summary>
    [JsonPropertyName("acquired_at")] public DateTimeOffset AcquiredAt { get; init; }

    /// <summary>When the lease was last written by its holder.</summary>
    [JsonPropertyName("renewed_at")] public DateTimeOffset RenewedAt { get; init; }

    /// <summary>When the lease lapses unless renewed; a released lease expires at once.</summary>
    [JsonPropertyName("expires_at")] public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>When the job last finished a run (on any instance).</summary>
    [JsonPropertyName("last_run_at")] public DateTimeOffset? LastRunAt { get; init; }

    /// <summary>The error of the last run, null when it succeeded.</summary>
    [JsonPropertyName("last_error")] public string? LastError { get; init; }

    /// <summary>Whether the lease is held (by anyone) at <paramref name="now"/>.</summary>
    public bool IsHeldAt(DateTimeOffset now) => Holder.Length > 0 && ExpiresAt > now;
}

/// <summary>A lease object as read: its state (null when it does not exist) and ETag.</summary>
public sealed record JobLeaseSnapshot(string Name, JobLeaseState? State, string? ETag);

/// <summary>A lease this instance holds: the state it wrote and the ETag to renew it with (If-Match).</summary>
public sealed record JobLease(string Name, JobLeaseState State, string ETag);

/// <summary>A finished run: when, and its error (null when it succeeded).</summary>
public readonly record struct JobRunResult(DateTimeOffset FinishedAt, string? Error);
