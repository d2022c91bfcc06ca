using LightS3.Diagnostics;
using LightS3.Documents;
using LightS3.Endpoints;
using LightS3.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LightS3.Hosting;

/// <summary>
/// Purges, every <see cref="LightS3Options.ExpirySweepInterval"/>, the records that fell due in every registered collection
/// (expired, or soft-deleted past their retention; the auth module's refresh tokens included) with
/// <see cref="RecordRepository.SweepAsync"/>: a walk of the expiry index up to now, never a scan. A leased job: one
/// instance sweeps at a time (and each purge is still a compare-and-swap on the record read, so a sweep run by hand
/// beside it is safe).
/// </summary>
public sealed class ExpirySweepService(DocumentStore documents, TimeProvider time,
    IOptions<LightS3Options> options, ILogger<ExpirySweepService> logger,
    Jobs.JobLeases leases, Jobs.JobStatusBoard board, IOptions<Jobs.JobOptions> jobOptions) : Jobs.LeasedJob(leases, board, jobOptions, time, logger)
{
    /// <summary>One sweep over every collection whose records fall due; returns how many records it purged.</summary>
    public async Task<long> SweepOnceAsync(CancellationToken ct = default)
    {
        documents.Open(Auth.Module.AuthCollections.RefreshTokens);
        var repositories = documents.Collections.Where(r => r.Model.Time.FallsDue);
        long total = 0;
        foreach (var records in repositories)
        {
            try
            {
                var purged = await records.SweepAsync(ct);
                if (purged > 0) logger.ExpiredPurged(purged, records.Layout.Collection);
                total += purged;
            }
            catch (StorageException e)
            {
                logger.ExpirySweepStopped(records.Layout.Collection, e.Message);
            }
        }
        return total;
    }

    /// <summary>The job's name (its lease: <c>_lights3/jobs/expiry-sweep.lease.json</c>).</summary>
    public const string JobName = "expiry-sweep";

    /// <inheritdoc />
    public override string Name => JobName;

    /// <inheritdoc />
    protected override TimeSpan Interval => options.Value.ExpirySweepInterval;

    /// <inheritdoc />
    protected override Task RunOnceAsync(CancellationToken ct) => SweepOnceAsync(ct);

    /// <inheritdoc />
    protected override void OnFailure(Exception exception) => logger.ExpirySweepFailed(exception);
}
