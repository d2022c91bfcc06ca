using System.Text.Json;
using LightS3.Storage;

namespace LightS3.Jobs;

/// <summary>
/// The lease primitive: one object per job, <c>_lights3/jobs/{name}.lease.json</c>, taken with a conditional write
/// (<c>If-None-Match: *</c> when new, <c>If-Match</c> on the version read when expired or already ours), renewed and
/// released with <c>If-Match</c>. Only conditional PUT is trusted, so release is a write that expires the lease, not a
/// delete. A lost race is a <see cref="PreconditionFailedException"/>; a store that answers a losing racer with an
/// error (Ceph RGW can) is re-read before deciding.
/// </summary>
public sealed class JobLeases(IObjectStore store, TimeProvider time)
{
    /// <summary>The key prefix of lease objects.</summary>
    public const string Prefix = "_lights3/jobs/";

    /// <summary>The key of the lease of job <paramref name="name"/>.</summary>
    public static string KeyOf(string name) => $"{Prefix}{name}.lease.json";

    /// <summary>Reads a lease object; an unreadable one reads as absent (and is overwritten by the next take).</summary>
    public async Task<JobLeaseSnapshot> ReadAsync(string name, CancellationToken ct = default)
    {
        var stored = await store.GetAsync(KeyOf(name), ct);
        if (stored is null) return new JobLeaseSnapshot(name, null, null);
        try
        {
            return new JobLeaseSnapshot(name, JsonSerializer.Deserialize<JobLeaseState>(stored.Content.Span), stored.ETag);
        }
        catch (JsonException)
        {
            return new JobLeaseSnapshot(name, null, stored.ETag);
        }
    }

    /// <summary>
    /// Takes the lease from the version <paramref name="seen"/> when it is free, expired or already
    /// <paramref name="holder"/>'s; null when another holder has it or another instance won the race.
    /// </summary>
    public async Task<JobLease?> TryTakeAsync(JobLeaseSnapshot seen, string holder, TimeSpan duration, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        if (seen.State is { } current && current.Holder != holder && current.IsHeldAt(now)) return null;
        var state = (seen.State ?? new JobLeaseState()) with
        {
            Holder = holder, Token = Guid.NewGuid().ToString("N"), AcquiredAt = now, RenewedAt = now, ExpiresAt = now + duration,
        };
        return await WriteAsync(seen.Name, state, seen.ETag, ct);
    }

    /// <summary>
    /// Extends a held lease to <paramref name="duration"/> from now, recording <paramref name="run"/> when given; null
    /// when the lease was lost (another instance took it over).
    /// </summary>
    public Task<JobLease?> RenewAsync(JobLease lease, TimeSpan duration, JobRunResult? run = null, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var state = lease.State with { RenewedAt = now, ExpiresAt = now + duration };
        if (run is { } r) state = state with { LastRunAt = r.FinishedAt, LastError = r.Error };
        return WriteAsync(lease.Name, state, lease.ETag, ct);
    }

    /// <summary>Gives a held lease up (it expires now, so another instance may take it at once); false when it was lost.</summary>
    public async Task<bool> ReleaseAsync(JobLease lease, JobRunResult? run = null, CancellationToken ct = default) =>
        await RenewAsync(lease, TimeSpan.Zero, run, ct) is not null;

    private async Task<JobLease?> WriteAsync(string name, JobLeaseState state, string? etag, CancellationToken ct)
    {
        var content = JsonSerializer.SerializeToUtf8Bytes(state);
        try
        {
            var written = await store.PutAsync(KeyOf(name), content, etag is null ? WriteCondition.IfNoneMatch : WriteCondition.IfMatch(etag), ct);
            return new JobLease(name, state, written);
        }
        catch (PreconditionFailedException)
        {
            return null;
        }
        catch (StorageException e) when (e is not StorageUnavailableException)
        {
            // a losing racer may get an error instead of 412: the object says who won
            var after = await ReadAsync(name, ct);
            return after.State is { } seen && seen.Token == state.Token && seen.RenewedAt == state.RenewedAt && after.ETag is not null ? new JobLease(name, state, after.ETag) : null;
        }
    }
}
