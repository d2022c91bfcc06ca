using LightS3.Diagnostics;
using LightS3.Documents;
using LightS3.Endpoints;
using LightS3.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LightS3.Hosting;

/// <summary>
/// Runs <see cref="StorageCollector"/> over every registered collection (and the auth module's) every
/// <see cref="LightS3Options.GarbageCollectionInterval"/>, with history retention. A leased job: one instance collects
/// at a time (and every step is still idempotent or a compare-and-swap, so a pass run by hand beside it is safe).
/// </summary>
public sealed class GarbageCollectionService(DocumentStore documents, IObjectStore store, TimeProvider time,
    IOptions<LightS3Options> options, ILogger<GarbageCollectionService> logger,
    Jobs.JobLeases leases, Jobs.JobStatusBoard board, IOptions<Jobs.JobOptions> jobOptions) : Jobs.LeasedJob(leases, board, jobOptions, time, logger)
{
    /// <summary>One pass over every collection; returns what it did. Failures of one collection are logged and skipped.</summary>
    public async Task<CollectionReport> CollectOnceAsync(CancellationToken ct = default)
    {
        var o = options.Value;
        var collector = new StorageCollector(store, Time, o.GarbageCollectionGrace);
        var total = collector.CollectTemporaryFiles();
        foreach (var auth in Auth.Module.AuthCollections.All) documents.Open(auth);
        var repositories = documents.Collections;
        foreach (var records in repositories)
        {
            try
            {
                total += await collector.CollectAsync(records, ct);
                if (records.History is { } history && await history.PruneAsync(ct) is > 0 and var pruned)
                    logger.HistoryPruned(pruned, records.Layout.Collection);
            }
            catch (StorageException e)
            {
                logger.CollectionStopped(records.Layout.Collection, e.Message);
            }
        }
        if (total.Any)
            logger.CollectionDone(total.Tombstones, total.MarkersFreed, total.MarkersDeleted, total.TemporaryFiles, total.Blobs);
        return total;
    }

    /// <summary>The job's name (its lease: <c>_lights3/jobs/garbage-collection.lease.json</c>).</summary>
    public const string JobName = "garbage-collection";

    /// <inheritdoc />
    public override string Name => JobName;

    /// <inheritdoc />
    protected override TimeSpan Interval => options.Value.GarbageCollectionInterval;

    /// <inheritdoc />
    protected override Task RunOnceAsync(CancellationToken ct) => CollectOnceAsync(ct);

    /// <inheritdoc />
    protected override void OnFailure(Exception exception) => logger.CollectionFailed(exception);
}
