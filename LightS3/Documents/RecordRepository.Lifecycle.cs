using System.Text.Json.Nodes;
using LightS3.History;
using LightS3.Model;

namespace LightS3.Documents;

public sealed partial class RecordRepository
{
    private static readonly AsyncLocal<(RecordRepository Records, RecordView View)?> AmbientView = new();
    private readonly RecordLifecycle _life;

    /// <summary>Which records this flow's reads of the collection see (<see cref="ShowOnly"/>); live ones by default.</summary>
    private RecordView CurrentView => AmbientView.Value is { } v && ReferenceEquals(v.Records, this) ? v.View : RecordView.Live;

    /// <summary>
    /// Every acknowledged write of the collection — create, update, soft delete, restore, delete, purge, expiry — is
    /// reported here once, after it committed and before the caller gets its answer: the hook of a change feed.
    /// Handlers run inline and must be quick; an exception they throw is swallowed (the write is committed).
    /// </summary>
    public event Action<RecordChange>? Committed;

    internal void Report(RecordChange change)
    {
        var handlers = Committed;
        if (handlers is null) return;
        foreach (var handler in handlers.GetInvocationList().Cast<Action<RecordChange>>())
        {
            try
            {
                handler(change);
            }
            catch (Exception)
            {
                // an observer must not turn a committed write into an error
            }
        }
    }

    /// <summary>Whether ordinary reads hide some stored records (soft-deleted or expired), so listings must read records to count them.</summary>
    public bool HidesRecords => _model.Time.HidesRecords;

    /// <summary>The collection's time features on the write path (automatic fields, expiry index, history, feed).</summary>
    internal RecordLifecycle Lifecycle => _life;

    /// <summary>The change feed's write side, or null when the collection keeps no feed.</summary>
    internal ChangeLog? Changes => _life.Changes;

    /// <summary>The version history, or null when the collection keeps none.</summary>
    public RecordHistory? History => _life.History;

    /// <summary>
    /// Makes this flow's reads of the collection (gets, lists, counts) see <paramref name="view"/> until the scope is
    /// disposed: an admin's <c>?deleted=true</c> listing runs the ordinary list under <see cref="RecordView.Deleted"/>.
    /// </summary>
    public IDisposable ShowOnly(RecordView view)
    {
        var previous = AmbientView.Value;
        AmbientView.Value = (this, view);
        return new ViewScope(previous);
    }

    private sealed class ViewScope((RecordRepository, RecordView)? previous) : IDisposable
    {
        public void Dispose() => AmbientView.Value = previous;
    }

    /// <summary>A record whether live or soft-deleted (not expired, not purged); null when there is none.</summary>
    public async Task<Record?> GetIncludingDeletedAsync(string id, CancellationToken ct = default) =>
        _life.Visible(await ReadAsync(id, ct), RecordView.Any);

    /// <summary>Whether <paramref name="record"/> is soft-deleted.</summary>
    public static bool IsSoftDeleted(Record record) => RecordLifecycle.IsDeleted(record.Peek());

    /// <summary>
    /// Soft-deletes exactly the version <paramref name="current"/>: the same record, marked <c>deleted_at</c>, written as a
    /// new version by compare-and-swap. Its unique values stay claimed (a restore can never conflict); purge releases them.
    /// </summary>
    private Task SoftDeleteAsync(Record current, CancellationToken ct) =>
        ReplaceAsync(current, FieldsOf(current.Peek()), new WriteIntent(RecordOperation.Delete), ct);

    /// <summary>
    /// Writes <paramref name="content"/> (a soft-deleted record's own body, or an earlier version from the history) over
    /// exactly <paramref name="current"/> as a new, live version, by compare-and-swap; <paramref name="restoredFrom"/> is
    /// the version whose content it is.
    /// </summary>
    public Task<Record> RestoreAsync(Record current, JsonObject content, long restoredFrom, CancellationToken ct = default) =>
        ReplaceAsync(current, FieldsOf(content), new WriteIntent(RecordOperation.Restore, restoredFrom), ct);

    /// <summary>Removes exactly the version <paramref name="current"/> (live or soft-deleted) for good: today's tombstone delete, history included.</summary>
    public Task PurgeAsync(Record current, CancellationToken ct = default) => TombstoneAsync(current, RecordOperation.Purge, ct);

    private JsonObject FieldsOf(JsonObject data)
    {
        var fields = new JsonObject();
        foreach (var field in _model.Fields) fields[field.Name] = data[field.Name]?.DeepClone();
        return fields;
    }

    /// <summary>
    /// Purges the records that fell due (expired, or soft-deleted past their retention) by walking the expiry index up to
    /// now — never a scan. Each is verified against the record and purged by compare-and-swap, so any number of instances
    /// may sweep at once. Returns how many records it purged.
    /// </summary>
    public async Task<long> SweepAsync(CancellationToken ct = default)
    {
        if (_life.Expiry is not { } expiry) return 0;
        var now = _time.GetUtcNow();
        long purged = 0;
        await foreach (var entry in Storage.ObjectListings.EnumerateAsync(_store, expiry.Prefix, null, ct))
        {
            if (expiry.Parse(entry.Key) is not { } parsed) continue;
            if (parsed.Due > now) break;
            var record = RecordIds.IsSafeName(parsed.Id) ? await ReadAsync(parsed.Id, ct) : null;
            if (record is null || _life.DueAt(record.Peek()) != parsed.Due)
            {
                // stale: the record is gone or moved on (unless a write is still in flight)
                if (entry.LastModified < now - ExpiryIndex.InFlightFloor) await expiry.RemoveAsync(parsed.Due, parsed.Id);
                continue;
            }
            try
            {
                using (WriteActor.Begin(null)) await TombstoneAsync(record, RecordOperation.Purge, ct);
                purged++;
            }
            catch (Exception e) when (e is VersionConflictException or RecordNotFoundException)
            {
                // written or purged meanwhile: the next pass judges it again
            }
        }
        return purged;
    }
}
