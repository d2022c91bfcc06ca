using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Model;
using LightS3.Query;
using LightS3.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LightS3.Endpoints;

/// <summary>
/// Deletes records with their references honoured, and runs the set_null and cascade work that follows in the
/// background. A delete of a record some <c>protect</c> reference points at is refused (409, naming the referencing
/// records). Otherwise, when set_null or cascade references point at the collection, a job object
/// (<see cref="OnDeleteJob"/>) is written <em>before</em> the record is deleted, so a crash cannot lose the work; any
/// instance then claims the job with a conditional write (a lease, renewed while it runs), follows the index of every
/// referencing field until no referencing record is left, and removes the job. The work is idempotent, so a job taken
/// over after a crash simply starts again. Jobs are found by the instance that wrote them at once and by every instance
/// on a poll of <see cref="PollInterval"/> (one LIST per referenced collection).
/// </summary>
public sealed class OnDeleteJobs(RelationGraph graph, IObjectStore store, TimeProvider time, ILogger<OnDeleteJobs> logger, Jobs.JobStatusBoard board) : BackgroundService
{
    /// <summary>How long a claim holds without renewal (renewed every third of it while the job runs).</summary>
    internal static TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often every instance looks for jobs it did not start itself (abandoned by a crash, or written by another instance).</summary>
    internal static TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A job whose record still exists this long after it was written belongs to a delete that failed, and is dropped.</summary>
    internal static TimeSpan PendingGrace { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Referencing records read per round of a job.</summary>
    public const int BatchSize = 100;

    /// <summary>
    /// The name of the cascade work in <c>/readyz</c>'s jobs entry and the <c>lights3.jobs.*</c> metrics. Every instance
    /// runs passes (each job is leased on its own, so instances share the work); the entry shows this instance's last pass.
    /// </summary>
    public const string JobName = "on-delete";

    /// <summary>At most this many referencing records are named in a <c>protect</c> 409.</summary>
    public const int NamedInConflict = 5;

    private readonly string _instance = Guid.NewGuid().ToString("N");
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>The key of the job of record <paramref name="id"/> of <paramref name="target"/>.</summary>
    public static string KeyOf(EndpointRuntime target, string id) => $"{JobsPrefix(target)}{id}.json";

    private static string JobsPrefix(EndpointRuntime target) => $"{target.Repository.Layout.Collection}/jobs/on-delete/";

    /// <summary>
    /// Deletes <paramref name="record"/> of <paramref name="runtime"/> as a DELETE request does: refused with a 409 problem
    /// while a <c>protect</c> reference points at it; with a job written first when set_null or cascade references do.
    /// </summary>
    public Task DeleteAsync(EndpointRuntime runtime, Record record, CancellationToken ct) => DeleteAsync(runtime, record, null, ct);

    /// <summary>
    /// <see cref="DeleteAsync(EndpointRuntime, Record, CancellationToken)"/> for a <paramref name="caller"/>: the 409 names
    /// only the referencing records that caller may read, and counts the others without naming them.
    /// </summary>
    internal async Task DeleteAsync(EndpointRuntime runtime, Record record, HttpContext? caller, CancellationToken ct)
    {
        var incoming = graph.Incoming(runtime);
        var protecting = incoming.Where(r => r.OnDelete == OnDelete.Protect).ToList();
        if (protecting.Count > 0)
        {
            var found = await Task.WhenAll(protecting.Select(async r => (Relation: r, Records: await ReferencingAsync(r, record.Id, NamedInConflict, ct))));
            var blocking = new List<(Relation Relation, List<string> Ids, int Unseen)>();
            foreach (var (relation, records) in found.Where(f => f.Records.Count > 0))
            {
                var seen = caller is null
                    ? records
                    : await RecordVisibility.AsReaderOfAsync(relation.Source, caller, async v =>
                    {
                        var shown = new List<Record>();
                        if (v is not null)
                            foreach (var r in records)
                                if (await v.SeesAsync(r)) shown.Add(r);
                        return shown;
                    });
                blocking.Add((relation, seen.Select(r => r.Id).ToList(), records.Count - seen.Count));
            }
            if (blocking.Count > 0)
                throw new Http.ApiProblemException(StatusCodes.Status409Conflict,
                    $"record {record.Id} is still referenced (on_delete: protect): " + string.Join("; ", blocking.Select(Describe)),
                    blocking.ToDictionary(b => $"{b.Relation.Source.Model.Route}.{b.Relation.Field.Name}", b => b.Ids.ToArray(), StringComparer.Ordinal));
        }
        var background = incoming.Any(r => r.RunsInBackground);
        if (background) await WriteJobAsync(runtime, record.Id, ct);
        await runtime.Repository.DeleteAsync(record, ct);
        if (background) _wake.Release();
    }

    // "by /reviews r1, r2 and 1 you cannot read (field book)": ids the caller may not read are counted, never named
    private static string Describe((Relation Relation, List<string> Ids, int Unseen) b)
    {
        var parts = new List<string>();
        if (b.Ids.Count > 0) parts.Add(string.Join(", ", b.Ids));
        if (b.Unseen > 0) parts.Add($"{b.Unseen} record{(b.Unseen == 1 ? "" : "s")} you cannot read");
        var more = b.Ids.Count + b.Unseen >= NamedInConflict ? " and maybe more" : "";
        return $"by {b.Relation.Source.Model.Route} {string.Join(" and ", parts)}{more} (field {b.Relation.Field.Name})";
    }

    private static async Task<IReadOnlyList<Record>> ReferencingAsync(Relation relation, string id, int limit, CancellationToken ct) =>
        await relation.Source.Query().Where(relation.Field.Name, FilterOperator.Eq, id).Limit(limit).AllAsync(ct);

    private async Task WriteJobAsync(EndpointRuntime target, string id, CancellationToken ct)
    {
        var job = new OnDeleteJob { Collection = target.Repository.Layout.Collection, Id = id, CreatedAt = time.GetUtcNow() };
        await store.PutAsync(KeyOf(target, id), job.ToUtf8(), WriteCondition.None, ct);
    }

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        graph.EnsureResolved(); // every endpoint is registered by now: an unknown target stops the start
        board.Set(new Jobs.JobStatus(JobName, graph.BackgroundTargets().Any(), PollInterval) { HeldHere = true, Holder = board.InstanceId });
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var started = time.GetTimestamp();
                string? error = null;
                try
                {
                    await RunPendingAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.OnDeletePassFailed(e);
                    error = e.Message;
                }
                Jobs.JobMetrics.CountRun(JobName, error is null, time.GetElapsedTime(started));
                board.Update(JobName, s => s with { LastRunAt = time.GetUtcNow(), LastError = error });
                await _wake.WaitAsync(PollInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Runs every job found that no live instance holds (one LIST per collection that set_null or cascade references point at).</summary>
    public async Task RunPendingAsync(CancellationToken ct)
    {
        foreach (var target in graph.BackgroundTargets())
        {
            await foreach (var entry in store.EnumerateAsync(JobsPrefix(target), null, ct))
                await TryRunAsync(target, entry.Key, ct);
        }
    }

    private async Task TryRunAsync(EndpointRuntime target, string key, CancellationToken ct)
    {
        var stored = await store.GetAsync(key, ct);
        if (stored is null || OnDeleteJob.Parse(stored.Content.Span) is not { } job) return;
        var now = time.GetUtcNow();
        if (job.Owner is not null && job.LeaseUntil > now) return; // a live instance runs it
        if (await target.Repository.GetAsync(job.Id, ct) is not null)
        {
            // the delete has not happened: still in flight, or it failed (a conflict) — then the job is void
            if (now - job.CreatedAt < PendingGrace) return;
            await store.DeleteAsync(key, null, ct);
            logger.OnDeleteDropped(job.Collection, job.Id);
            return;
        }
        string etag;
        try
        {
            etag = await store.PutAsync(key, (job with { Owner = _instance, LeaseUntil = now + LeaseDuration }).ToUtf8(), WriteCondition.IfMatch(stored.ETag), ct);
        }
        catch (PreconditionFailedException)
        {
            return; // another instance claimed it first
        }
        await RunAsync(target, key, job, etag, ct);
    }

    private async Task RunAsync(EndpointRuntime target, string key, OnDeleteJob job, string etag, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var processed = new long[1];
        var work = FollowAsync(target, job.Id, processed, stop.Token);
        while (!work.IsCompleted)
        {
            await Task.WhenAny(work, Task.Delay(LeaseDuration / 3, time, CancellationToken.None));
            if (work.IsCompleted || ct.IsCancellationRequested) continue;
            try
            {
                var renewed = job with { Owner = _instance, LeaseUntil = time.GetUtcNow() + LeaseDuration, Processed = Interlocked.Read(ref processed[0]) };
                etag = await store.PutAsync(key, renewed.ToUtf8(), WriteCondition.IfMatch(etag), CancellationToken.None);
            }
            catch (PreconditionFailedException)
            {
                logger.OnDeleteTakenOver(job.Collection, job.Id);
                await stop.CancelAsync();
                break;
            }
            catch (Exception e) when (e is StorageException or IOException)
            {
                // the lease may lapse and another instance start over: harmless, the work is idempotent
            }
        }
        try
        {
            await work;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            if (!stop.IsCancellationRequested) logger.OnDeleteFailed(e, job.Collection, job.Id);
            return; // the lease lapses; a later pass retries
        }
        if (stop.IsCancellationRequested) return;
        await store.DeleteAsync(key, null, CancellationToken.None);
        logger.OnDeleteDone(job.Collection, job.Id, processed[0]);
    }

    /// <summary>Sets to null or deletes every record that references <paramref name="id"/>, round after round of the field's index, until none is left.</summary>
    private async Task FollowAsync(EndpointRuntime target, string id, long[] processed, CancellationToken ct)
    {
        foreach (var relation in graph.Incoming(target).Where(r => r.RunsInBackground))
        {
            var source = relation.Source;
            var touched = false;
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var batch = await source.Query().Where(relation.Field.Name, FilterOperator.Eq, id).Limit(BatchSize).AllAsync(ct);
                if (batch.Count == 0) break;
                touched = true;
                await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (record, token) =>
                {
                    try
                    {
                        if (relation.OnDelete == OnDelete.Cascade) await DeleteAsync(source, record, token, checkProtect: false);
                        else await source.Repository.ReplaceAsync(record, source.Binder.MergePatch(record.Data, new JsonObject { [relation.Field.Name] = null }), token);
                        Interlocked.Increment(ref processed[0]);
                    }
                    catch (Exception e) when (e is VersionConflictException or RecordNotFoundException)
                    {
                        // changed or deleted meanwhile: the next round reads it again (or no longer finds it)
                    }
                });
            }
            if (touched) await source.InvalidateCacheAsync(ct);
        }
    }

    private async Task DeleteAsync(EndpointRuntime runtime, Record record, CancellationToken ct, bool checkProtect)
    {
        if (checkProtect) await DeleteAsync(runtime, record, ct);
        else
        {
            // a cascade follows set_null and cascade references further down; protect is enforced on the deleted record only
            var background = graph.Incoming(runtime).Any(r => r.RunsInBackground);
            if (background) await WriteJobAsync(runtime, record.Id, ct);
            await runtime.Repository.DeleteAsync(record, ct);
            if (background) _wake.Release();
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
