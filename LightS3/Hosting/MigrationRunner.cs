using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Endpoints;
using LightS3.Migrations;
using LightS3.Storage;

namespace LightS3.Hosting;

/// <summary>Progress of an eager pass over one collection.</summary>
/// <param name="Route">The endpoint.</param>
/// <param name="Processed">Records seen.</param>
/// <param name="Total">Records in the collection (listed before the pass).</param>
public sealed record MigrationProgress(string Route, long Processed, long Total);

/// <summary>What one eager pass did.</summary>
/// <param name="Route">The endpoint.</param>
/// <param name="Seen">Records looked at (this run; a resumed pass starts after its checkpoint).</param>
/// <param name="Migrated">Records rewritten (this run).</param>
/// <param name="Retried">Rewrites that lost a race to a concurrent write and were re-read and retried.</param>
/// <param name="Resumed">Whether it continued from a checkpoint.</param>
/// <param name="MigratedInAll">Records rewritten by the pass, counting the runs before a resume.</param>
public sealed record MigrationPass(string Route, long Seen, long Migrated, long Retried, bool Resumed, long MigratedInAll);

/// <summary>A migration as <c>migrate status</c> shows it.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Route">Its route.</param>
/// <param name="Description">What it does.</param>
/// <param name="State"><c>pending</c>, <c>applied</c>, <c>lazy</c> (applied, <c>finish</c> pending) or <c>not declared</c> (in the log, unknown to this app).</param>
/// <param name="Applied">Its log entry, when applied.</param>
public sealed record MigrationStatus(string Id, string Route, string Description, string State, AppliedMigration? Applied);

/// <summary>How a runner takes the lease.</summary>
public sealed record MigrationRunOptions
{
    /// <summary>Wait for a running runner instead of refusing.</summary>
    public bool Wait { get; init; }

    /// <summary>The lease's time to live: how long after a runner dies another may take over.</summary>
    public TimeSpan LeaseTtl { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Records rewritten at a time.</summary>
    public int Parallelism { get; init; } = 16;

    /// <summary>Records per checkpoint.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>Told once when the runner waits for the lease.</summary>
    public Action<string>? Waiting { get; init; }

    /// <summary>Progress of each pass.</summary>
    public IProgress<MigrationProgress>? Progress { get; init; }
}

/// <summary>
/// Applies and reverts an app's migrations (docs/migrations.md): <see cref="StatusAsync"/>, <see cref="UpAsync"/>
/// (eager or lazy), <see cref="DownAsync"/>, <see cref="FinishAsync"/>. One runner at a time (<see cref="MigrationLease"/>).
/// An eager pass reads each stored record, moves it to the target migration and writes it back through the
/// repository's update path (compare-and-swap; unique values and index entries move with it); a concurrent write wins
/// and the record is re-read and retried, so no acknowledged write is lost.
/// </summary>
public sealed class MigrationRunner(EndpointRegistry endpoints, MigrationCatalog catalog, IObjectStore store, TimeProvider time)
{
    private const int MaxAttempts = 50;

    /// <summary>Every declared or applied migration, in order.</summary>
    public async Task<IReadOnlyList<MigrationStatus>> StatusAsync(CancellationToken ct = default)
    {
        var log = await MigrationLog.ReadAsync(store, ct);
        var rows = catalog.All.Select(m => log.Find(m.Id) is { } a
                ? new MigrationStatus(m.Id, m.Route, m.Description, a.Finished ? "applied" : "lazy", a)
                : new MigrationStatus(m.Id, m.Route, m.Description, "pending", null))
            .Concat(log.Applied.Where(a => catalog.All.All(m => m.Id != a.Id)).Select(a => new MigrationStatus(a.Id, a.Route, "", "not declared", a)));
        return rows.OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Applies every pending migration up to <paramref name="target"/> (all when null): eagerly (each collection
    /// rewritten in one pass, resumable) or, with <paramref name="lazy"/>, by only logging them (records upgrade on
    /// read and on their next write). Returns the migrations applied and the passes run.
    /// </summary>
    public async Task<(IReadOnlyList<Migration> Applied, IReadOnlyList<MigrationPass> Passes)> UpAsync(string? target, bool lazy, MigrationRunOptions options, CancellationToken ct = default)
    {
        if (target is not null && catalog.All.All(m => m.Id != target))
            throw new MigrationUsageException($"no migration '{target}' is declared (known: {Known()})");
        await using var lease = await MigrationLease.AcquireAsync(store, time, options.LeaseTtl, options.Wait, options.Waiting, ct);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(ct, lease.Lost);
        var log = await MigrationLog.ReadAsync(store, run.Token);
        var pending = catalog.All.Where(m => log.Find(m.Id) is null && (target is null || string.CompareOrdinal(m.Id, target) <= 0)).ToList();
        var passes = new List<MigrationPass>();
        foreach (var group in pending.GroupBy(m => Runtime(m.Route).Model.Route))
        {
            var repository = Runtime(group.Key).Repository;
            var list = catalog.For(group.Key);
            var to = IndexOf(list, group.Last().Id);
            var now = time.GetUtcNow();
            if (lazy)
            {
                foreach (var m in group) await log.SaveAsync(new AppliedMigration { Id = m.Id, Route = group.Key, Mode = "lazy", AppliedAt = now }, run.Token);
            }
            else
            {
                var pass = await Guarded(lease, () => PassAsync(repository, list, to, "up", options, run.Token));
                passes.Add(pass);
                var done = time.GetUtcNow();
                foreach (var m in group)
                    await log.SaveAsync(new AppliedMigration { Id = m.Id, Route = group.Key, Mode = "eager", Finished = true, AppliedAt = now, FinishedAt = done, Records = pass.MigratedInAll }, run.Token);
                foreach (var earlier in log.Applied.Where(a => !a.Finished && IndexOf(list, a.Id) is >= 0 and var i && i <= to).ToList())
                    await log.SaveAsync(earlier with { Finished = true, FinishedAt = done }, run.Token);
                await MigrationCheckpoint.ClearAsync(store, run.Token);
            }
            if (to == list.Count - 1) await SchemaSnapshots.WriteAsync(store, repository.Model, list[to].Id, time, onlyIfMissing: false, run.Token);
        }
        return (pending, passes);
    }

    /// <summary>Reverts the last applied migration (it must be declared and reversible): every record is moved back before it.</summary>
    public async Task<(Migration Reverted, MigrationPass Pass)> DownAsync(MigrationRunOptions options, CancellationToken ct = default)
    {
        await using var lease = await MigrationLease.AcquireAsync(store, time, options.LeaseTtl, options.Wait, options.Waiting, ct);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(ct, lease.Lost);
        var log = await MigrationLog.ReadAsync(store, run.Token);
        var last = log.Applied.MaxBy(a => a.Id, StringComparer.Ordinal) ?? throw new MigrationUsageException("no migration is applied: nothing to revert");
        var migration = catalog.All.FirstOrDefault(m => m.Id == last.Id)
            ?? throw new MigrationUsageException($"the last applied migration '{last.Id}' is not declared in this app: its Down is unknown");
        if (!migration.Reversible) throw new MigrationUsageException(new IrreversibleMigrationException(migration.Id).Message);
        var runtime = Runtime(migration.Route);
        var list = catalog.For(runtime.Model.Route);
        var pass = await Guarded(lease, () => PassAsync(runtime.Repository, list, IndexOf(list, migration.Id) - 1, "down", options, run.Token));
        await log.RemoveAsync(migration.Id, run.Token);
        await MigrationCheckpoint.ClearAsync(store, run.Token);
        return (migration, pass);
    }

    /// <summary>Rewrites, eagerly, every collection with a lazily applied migration, and marks those finished.</summary>
    public async Task<IReadOnlyList<MigrationPass>> FinishAsync(MigrationRunOptions options, CancellationToken ct = default)
    {
        await using var lease = await MigrationLease.AcquireAsync(store, time, options.LeaseTtl, options.Wait, options.Waiting, ct);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(ct, lease.Lost);
        var log = await MigrationLog.ReadAsync(store, run.Token);
        var passes = new List<MigrationPass>();
        foreach (var group in log.Applied.Where(a => !a.Finished).GroupBy(a => Runtime(a.Route).Model.Route).ToList())
        {
            var runtime = Runtime(group.Key);
            var list = catalog.For(group.Key);
            var to = log.Applied.Where(a => IndexOf(list, a.Id) >= 0).Select(a => IndexOf(list, a.Id)).DefaultIfEmpty(-1).Max();
            if (group.Any(a => IndexOf(list, a.Id) < 0))
                throw new MigrationUsageException($"lazily applied migration(s) {string.Join(", ", group.Where(a => IndexOf(list, a.Id) < 0).Select(a => a.Id))} are not declared in this app");
            var pass = await Guarded(lease, () => PassAsync(runtime.Repository, list, to, "up", options, run.Token));
            passes.Add(pass);
            var done = time.GetUtcNow();
            foreach (var a in group) await log.SaveAsync(a with { Finished = true, FinishedAt = done, Records = pass.MigratedInAll }, run.Token);
            await MigrationCheckpoint.ClearAsync(store, run.Token);
            if (to == list.Count - 1) await SchemaSnapshots.WriteAsync(store, runtime.Model, list[to].Id, time, onlyIfMissing: false, run.Token);
        }
        return passes;
    }

    /// <summary>Writes a schema snapshot for every endpoint that has none (the baseline <c>validate</c> compares with).</summary>
    public async Task EnsureSnapshotsAsync(CancellationToken ct = default)
    {
        var log = await MigrationLog.ReadAsync(store, ct);
        foreach (var runtime in endpoints.Endpoints)
        {
            var list = catalog.For(runtime.Model.Route);
            var last = list.LastOrDefault(m => log.Find(m.Id) is not null);
            await SchemaSnapshots.WriteAsync(store, runtime.Model, last?.Id, time, onlyIfMissing: true, ct);
        }
    }

    private async Task<MigrationPass> PassAsync(RecordRepository repository, IReadOnlyList<Migration> list, int to, string direction, MigrationRunOptions options, CancellationToken ct)
    {
        var route = repository.Model.Route;
        var mine = new MigrationCheckpoint { Route = route, Target = to >= 0 ? list[to].Id : null, Direction = direction };
        var saved = await MigrationCheckpoint.ReadAsync(store, ct);
        var resumed = saved is not null && saved.SamePass(mine);
        var checkpoint = resumed ? saved! : mine;
        var layout = repository.Layout;
        long total = 0;
        await foreach (var e in store.EnumerateAsync(layout.RecordsPrefix, null, ct))
            if (layout.IdOf(e.Key) is not null) total++;
        long seen = 0, migrated = 0, retried = 0;
        var batch = new List<ObjectEntry>(options.BatchSize);
        async Task FlushAsync()
        {
            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = ct }, async (entry, token) =>
            {
                var (changed, retries) = await MigrateAsync(repository, layout.IdOf(entry.Key)!, entry, list, to, direction, token);
                if (changed) Interlocked.Increment(ref migrated);
                Interlocked.Add(ref retried, retries);
            });
            seen += batch.Count;
            checkpoint = checkpoint with
            {
                After = batch[^1].Key, Processed = checkpoint.Processed + batch.Count, Migrated = (resumed ? saved!.Migrated : 0) + migrated, UpdatedAt = time.GetUtcNow(),
            };
            await checkpoint.SaveAsync(store, ct);
            options.Progress?.Report(new MigrationProgress(route, checkpoint.Processed, Math.Max(total, checkpoint.Processed)));
            batch.Clear();
        }
        await foreach (var entry in store.EnumerateAsync(layout.RecordsPrefix, checkpoint.After, ct))
        {
            if (layout.IdOf(entry.Key) is null) continue;
            batch.Add(entry);
            if (batch.Count >= options.BatchSize) await FlushAsync();
        }
        if (batch.Count > 0) await FlushAsync();
        // each rewrite moved the entries of the fields the model indexes; entries of fields it no longer indexes (a
        // renamed indexed field) and of values stored under an old type are only known to a rebuild, which removes them
        await endpoints.RebuildIndexesAsync(endpoints.Get(route), null, ct);
        return new MigrationPass(route, seen, migrated, retried, resumed, (resumed ? saved!.Migrated : 0) + migrated);
    }

    /// <summary>Moves one record to <paramref name="to"/>; (whether it was rewritten, how many races it lost).</summary>
    private static async Task<(bool Changed, int Retries)> MigrateAsync(RecordRepository repository, string id, ObjectEntry listed, IReadOnlyList<Migration> list, int to,
        string direction, CancellationToken ct)
    {
        if (Tombstones.StateOf(listed) == Tombstones.ListedState.Tombstone) return (false, 0);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var stored = await repository.ReadStoredAsync(id, ct);
            if (stored is null) return (false, attempt);
            // the stamp is written in the same compare-and-swap as the migrated fields: a record is before or after, never half
            if (MigrationCatalog.Position(list, SchemaStamp.Read(stored.Peek())) is not { } at) return (false, attempt); // a stamp this app does not know
            if (direction == "up" ? at >= to : at <= to) return (false, attempt);
            var document = (JsonObject)stored.Peek().DeepClone();
            try
            {
                MigrationCatalog.MoveTo(document, list, at, to);
            }
            catch (Exception e) when (e is MigrationRecordException or IrreversibleMigrationException or InvalidOperationException)
            {
                throw new MigrationRecordException($"{repository.Model.Route}/{id}: {e.Message}", e);
            }
            try
            {
                await repository.RewriteAsync(stored, document, ct);
                return (true, attempt);
            }
            catch (VersionConflictException)
            {
                // a concurrent write won: read it again and migrate what it wrote (unless it already carries the new schema)
            }
            catch (RecordNotFoundException)
            {
                return (false, attempt);
            }
            catch (LightS3Exception e) when (e is not StorageException)
            {
                throw new MigrationRecordException($"{repository.Model.Route}/{id}: {e.Message}", e);
            }
        }
        throw new MigrationRecordException($"{repository.Model.Route}/{id}: still changing after {MaxAttempts} attempts; run again");
    }

    /// <summary>Runs a pass; turns a cancellation caused by a lost lease into <see cref="MigrationLeaseLostException"/>.</summary>
    private static async Task<T> Guarded<T>(MigrationLease lease, Func<Task<T>> pass)
    {
        try
        {
            return await pass();
        }
        catch (OperationCanceledException) when (lease.Lost.IsCancellationRequested)
        {
            throw new MigrationLeaseLostException("the migration lease expired and another runner took it; this runner stopped (the other one resumes from the checkpoint)");
        }
    }

    private Endpoints.EndpointRuntime Runtime(string route)
    {
        try
        {
            return endpoints.Get(route);
        }
        catch (ArgumentException)
        {
            throw new MigrationUsageException($"a migration targets '{route}', which no endpoint serves (known: {string.Join(", ", endpoints.Endpoints.Select(e => e.Model.Route).Order(StringComparer.Ordinal))})");
        }
    }

    private static int IndexOf(IReadOnlyList<Migration> list, string id)
    {
        for (var i = 0; i < list.Count; i++)
            if (list[i].Id == id) return i;
        return -1;
    }

    private string Known() => catalog.All.Count == 0 ? "none" : string.Join(", ", catalog.All.Select(m => m.Id));
}

/// <summary>A migrate command cannot run as asked (unknown target, nothing to revert, an irreversible migration, an unknown route).</summary>
public sealed class MigrationUsageException(string message) : LightS3Exception(message);
