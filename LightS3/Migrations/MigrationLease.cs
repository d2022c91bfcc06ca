using LightS3.Storage;

namespace LightS3.Migrations;

/// <summary>
/// One migration runner at a time, across machines: a lease object (<see cref="MigrationKeys.Lease"/>) taken with a
/// conditional write (<c>If-None-Match: *</c> when absent, <c>If-Match</c> over a released or expired one), renewed by
/// compare-and-swap every third of its time to live, and released when the runner ends. A runner that dies leaves a
/// lease that expires after its time to live; another runner may then take over (and resume from the checkpoint).
/// </summary>
public sealed class MigrationLease : IAsyncDisposable
{
    private readonly IObjectStore _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan _ttl;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private Holder _holder;
    private string _etag;
    private Task? _renewal;

    private MigrationLease(IObjectStore store, TimeProvider time, TimeSpan ttl, Holder holder, string etag)
    {
        (_store, _time, _ttl, _holder, _etag) = (store, time, ttl, holder, etag);
    }

    /// <summary>Cancelled when the lease was lost (taken over after it expired): the runner must stop.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>
    /// Takes the lease. When another runner holds it: throws <see cref="MigrationLeaseHeldException"/>, or with
    /// <paramref name="wait"/> polls every second until it is released or expires (<paramref name="waiting"/> is told once).
    /// </summary>
    public static async Task<MigrationLease> AcquireAsync(IObjectStore store, TimeProvider time, TimeSpan ttl, bool wait, Action<string>? waiting = null, CancellationToken ct = default)
    {
        var told = false;
        while (true)
        {
            var (current, etag) = await MigrationKeys.ReadAsync<Holder>(store, MigrationKeys.Lease, ct);
            var now = time.GetUtcNow();
            if (current is null || current.Released || current.ExpiresAt <= now)
            {
                var mine = new Holder
                {
                    Owner = Guid.NewGuid().ToString("N"), Host = Environment.MachineName, Pid = Environment.ProcessId,
                    AcquiredAt = now, ExpiresAt = now + ttl,
                };
                try
                {
                    var taken = await MigrationKeys.WriteAsync(store, MigrationKeys.Lease, mine, MigrationKeys.Over(etag), ct);
                    var lease = new MigrationLease(store, time, ttl, mine, taken);
                    lease._renewal = Task.Run(lease.RenewAsync, CancellationToken.None);
                    return lease;
                }
                catch (PreconditionFailedException)
                {
                    continue; // another runner took it between our read and write: look again
                }
            }
            if (!wait) throw new MigrationLeaseHeldException(current);
            if (!told) waiting?.Invoke($"waiting for the migration lease: {MigrationLeaseHeldException.Describe(current)}");
            told = true;
            await Task.Delay(TimeSpan.FromSeconds(1), time, ct);
        }
    }

    private async Task RenewAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_ttl / 3, _time, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var renewed = _holder with { ExpiresAt = _time.GetUtcNow() + _ttl };
            try
            {
                _etag = await MigrationKeys.WriteAsync(_store, MigrationKeys.Lease, renewed, WriteCondition.IfMatch(_etag), CancellationToken.None);
                _holder = renewed;
            }
            catch (PreconditionFailedException)
            {
                await _lost.CancelAsync();
                return;
            }
            catch (Exception e) when (e is StorageException or IOException)
            {
                if (_time.GetUtcNow() >= _holder.ExpiresAt)
                {
                    await _lost.CancelAsync(); // could not renew in time: another runner may hold it now
                    return;
                }
            }
        }
    }

    /// <summary>Stops renewing and releases the lease (a compare-and-swap PUT: a lease taken over is left alone).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_renewal is not null) await _renewal;
        if (!_lost.IsCancellationRequested)
        {
            try
            {
                await MigrationKeys.WriteAsync(_store, MigrationKeys.Lease, _holder with { Released = true }, WriteCondition.IfMatch(_etag), CancellationToken.None);
            }
            catch (Exception e) when (e is StorageException or IOException)
            {
                // it expires by itself
            }
        }
        _stop.Dispose();
        _lost.Dispose();
    }

    /// <summary>The lease object.</summary>
    public sealed record Holder
    {
        /// <summary>A random id of the holding runner.</summary>
        public string Owner { get; init; } = "";

        /// <summary>The machine it runs on.</summary>
        public string Host { get; init; } = "";

        /// <summary>Its process id.</summary>
        public int Pid { get; init; }

        /// <summary>When it took the lease.</summary>
        public DateTimeOffset AcquiredAt { get; init; }

        /// <summary>When the lease lapses unless renewed.</summary>
        public DateTimeOffset ExpiresAt { get; init; }

        /// <summary>Whether the runner gave it back.</summary>
        public bool Released { get; init; }
    }
}

/// <summary>Another runner holds the migration lease.</summary>
public sealed class MigrationLeaseHeldException(MigrationLease.Holder holder) : LightS3Exception(
    $"another migration runner holds the lease: {Describe(holder)}; run again when it is done, or pass --wait to wait for it")
{
    /// <summary>The holder.</summary>
    public MigrationLease.Holder Holder { get; } = holder;

    internal static string Describe(MigrationLease.Holder h) =>
        $"process {h.Pid} on {h.Host}, since {h.AcquiredAt:u}, expires {h.ExpiresAt:u} unless renewed";
}

/// <summary>This runner lost its lease (it expired while the runner stalled, and another took it): it stopped.</summary>
public sealed class MigrationLeaseLostException(string message) : LightS3Exception(message);
