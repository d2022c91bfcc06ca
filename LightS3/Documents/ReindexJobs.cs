using System.Text.Json;
using LightS3.Diagnostics;
using LightS3.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LightS3.Documents;

/// <summary>
/// Runs index rebuilds in the background, one per collection across all instances: the status object
/// (<c>{collection}/jobs/reindex.json</c>) is claimed with a conditional write, its progress is written about once a
/// second (a chain of If-Match writes, so an instance that lost its claim stops), and a run whose status has not moved
/// for <see cref="StallAfter"/> (its instance died) may be started again.
/// </summary>
internal sealed class ReindexJobs(TimeProvider time, IHostApplicationLifetime lifetime, ILogger<ReindexJobs> logger)
{
    /// <summary>How long a running status may stay unchanged before another start takes over.</summary>
    internal static TimeSpan StallAfter { get; set; } = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    /// <summary>The status key of a collection.</summary>
    public static string StatusKey(CollectionLayout layout) => $"{layout.Collection}/jobs/reindex.json";

    /// <summary>The current status (<see cref="ReindexStatus.Idle"/> when never run).</summary>
    public async Task<ReindexStatus> GetAsync(RecordRepository records, CancellationToken ct = default) =>
        (await ReadAsync(records, ct)).Status;

    /// <summary>
    /// Claims the collection's rebuild and starts it in the background; returns the running status. Throws
    /// <see cref="ReindexRunningException"/> when a rebuild is already running (here or on another instance).
    /// </summary>
    public async Task<ReindexStatus> StartAsync(RecordRepository records, Func<IProgress<IndexRebuildProgress>, CancellationToken, Task<IndexRebuildReport>> rebuild,
        CancellationToken ct = default)
    {
        var (current, etag) = await ReadAsync(records, ct);
        var now = time.GetUtcNow();
        if (current.Status == "running" && now - (current.UpdatedAt ?? now) < StallAfter) throw new ReindexRunningException(records.Model.Collection);
        var running = new ReindexStatus { Status = "running", StartedAt = now, UpdatedAt = now };
        string claimed;
        try
        {
            claimed = await records.Store.PutAsync(StatusKey(records.Layout), Serialize(running),
                etag is null ? WriteCondition.IfNoneMatch : WriteCondition.IfMatch(etag), ct);
        }
        catch (PreconditionFailedException)
        {
            throw new ReindexRunningException(records.Model.Collection); // another start won the claim
        }
        _ = Task.Run(() => RunAsync(records, running, claimed, rebuild), CancellationToken.None);
        return running;
    }

    private async Task RunAsync(RecordRepository records, ReindexStatus running, string etag,
        Func<IProgress<IndexRebuildProgress>, CancellationToken, Task<IndexRebuildReport>> rebuild)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        var progress = new LatestProgress();
        var status = running;
        var key = StatusKey(records.Layout);
        // progress writes run beside the rebuild; a lost claim (someone took over a run they thought stalled) stops it
        var work = rebuild(progress, stop.Token);
        while (!work.IsCompleted)
        {
            await Task.WhenAny(work, Task.Delay(ProgressInterval, time, CancellationToken.None));
            if (work.IsCompleted || progress.Latest is not { } p) continue;
            status = status with { Phase = p.Phase, Processed = p.Processed, Total = p.Total, UpdatedAt = time.GetUtcNow() };
            try
            {
                etag = await records.Store.PutAsync(key, Serialize(status), WriteCondition.IfMatch(etag), CancellationToken.None);
            }
            catch (PreconditionFailedException)
            {
                logger.ReindexTakenOver(records.Model.Collection);
                await stop.CancelAsync();
                await Task.WhenAny(work); // observe its cancellation
                return;
            }
            catch (Exception e) when (e is StorageException or IOException)
            {
                logger.ReindexProgressUnwritten(e, records.Model.Collection);
            }
        }
        var now = time.GetUtcNow();
        try
        {
            var report = await work;
            status = status with
            {
                Status = "done", Phase = null, Processed = report.Records, Total = report.Records, Records = report.Records,
                EntriesWritten = report.EntriesWritten, EntriesRemoved = report.EntriesRemoved, UpdatedAt = now, FinishedAt = now,
            };
            logger.ReindexDone(records.Model.Collection, report.Records, report.EntriesWritten, report.EntriesRemoved);
        }
        catch (Exception e)
        {
            status = status with { Status = "failed", Error = e is OperationCanceledException ? "stopped by shutdown" : e.Message, UpdatedAt = now, FinishedAt = now };
            logger.ReindexFailed(e, records.Model.Collection);
        }
        try
        {
            await records.Store.PutAsync(key, Serialize(status), WriteCondition.IfMatch(etag), CancellationToken.None);
        }
        catch (Exception e) when (e is StorageException or IOException)
        {
            logger.ReindexStatusUnwritten(e, records.Model.Collection);
        }
    }

    private static async Task<(ReindexStatus Status, string? ETag)> ReadAsync(RecordRepository records, CancellationToken ct)
    {
        var stored = await records.Store.GetAsync(StatusKey(records.Layout), ct);
        if (stored is null) return (ReindexStatus.Idle, null);
        try
        {
            return (JsonSerializer.Deserialize<ReindexStatus>(stored.Content.Span) ?? ReindexStatus.Idle, stored.ETag);
        }
        catch (JsonException)
        {
            return (ReindexStatus.Idle, stored.ETag); // unreadable: treat as never run, and let a start overwrite it
        }
    }

    private static byte[] Serialize(ReindexStatus status) => JsonSerializer.SerializeToUtf8Bytes(status);

    /// <summary>Keeps only the latest report: progress is sampled, not queued.</summary>
    private sealed class LatestProgress : IProgress<IndexRebuildProgress>
    {
        private IndexRebuildProgress? _latest;
        public IndexRebuildProgress? Latest => Volatile.Read(ref _latest);
        public void Report(IndexRebuildProgress value) => Volatile.Write(ref _latest, value);
    }
}

/// <summary>A rebuild of the collection is already running (409).</summary>
public sealed class ReindexRunningException(string collection)
    : LightS3Exception($"a reindex of '{collection}' is already running; follow it with GET on _reindex")
{
    /// <summary>The collection.</summary>
    public string Collection { get; } = collection;
}
