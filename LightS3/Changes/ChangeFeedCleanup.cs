using LightS3.Documents;
using LightS3.Jobs;
using LightS3.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LightS3.Changes;

/// <summary>
/// Removes, every <see cref="ChangeFeedOptions.CleanupInterval"/>, the change entries older than
/// <see cref="ChangeFeedOptions.Retention"/>: a LIST from the start of each feed that stops at the first younger entry
/// (entries are in time order), and a DELETE per old entry. A leased job: one instance at a time cleans, and
/// <c>/readyz</c> shows its last run (idempotent all the same, so a lost lease mid-pass does no harm).
/// </summary>
internal sealed class ChangeFeedCleanup(ChangeFeed feed, IObjectStore store, TimeProvider time, IOptions<LightS3Options> options, ILogger<ChangeFeedCleanup> logger,
    JobLeases leases, JobStatusBoard board, IOptions<JobOptions> jobOptions) : LeasedJob(leases, board, jobOptions, time, logger)
{
    /// <summary>The job's lease name.</summary>
    public const string JobName = "change-feed-cleanup";

    /// <inheritdoc />
    public override string Name => JobName;

    /// <summary>One pass over every feed; returns how many entries it removed.</summary>
    public async Task<long> CleanOnceAsync(CancellationToken ct = default)
    {
        var cutoff = ChangeCursor.Before(Time.GetUtcNow() - options.Value.Changes.Retention);
        long removed = 0;
        foreach (var collection in feed.Collections)
        {
            var prefix = ChangeCursor.Prefix(collection);
            var old = new List<string>();
            await foreach (var entry in store.EnumerateAsync(prefix, null, ct))
            {
                if (string.CompareOrdinal(entry.Key[prefix.Length..], cutoff) > 0) break;
                old.Add(entry.Key);
                if (old.Count == 100) removed += await DeleteAsync(old, ct);
            }
            removed += await DeleteAsync(old, ct);
        }
        return removed;
    }

    private async Task<long> DeleteAsync(List<string> keys, CancellationToken ct)
    {
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (key, c) => await store.DeleteAsync(key, null, c));
        var n = keys.Count;
        keys.Clear();
        return n;
    }

    /// <inheritdoc />
    protected override TimeSpan Interval => options.Value.Changes.CleanupInterval;

    /// <inheritdoc />
    protected override Task RunOnceAsync(CancellationToken ct) => CleanOnceAsync(ct);

    /// <inheritdoc />
    protected override void OnFailure(Exception exception) => logger.LogWarning(exception, "change feed cleanup failed; the next pass retries");
}
