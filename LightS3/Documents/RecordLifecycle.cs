using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LightS3.History;
using LightS3.Model;
using LightS3.Validation;

namespace LightS3.Documents;

/// <summary>
/// The time features of one collection on its write path (<see cref="TimeSpec"/>, docs/history.md): which stored
/// records reads may see, the automatic fields every write stamps (<c>deleted_at</c>, <c>created_by</c>,
/// <c>updated_by</c>, <c>expires_at</c>, <c>restored_from</c>), what is written before a record commits (a history
/// snapshot of the version it replaces, an expiry index entry) and cleaned up after, and the report of every
/// acknowledged write (<see cref="RecordRepository.Committed"/>).
/// </summary>
internal sealed class RecordLifecycle
{
    private readonly RecordRepository _records;
    private readonly TimeProvider _time;
    private readonly TimeSpec _spec;

    public RecordLifecycle(RecordRepository records, TimeProvider time)
    {
        _records = records;
        _time = time;
        _spec = records.Model.Time;
        History = _spec.History is { } h ? new RecordHistory(records, h, time) : null;
        Expiry = _spec.FallsDue ? new ExpiryIndex(records.Store, records.Model.Collection) : null;
        Changes = _spec.Changes ? new ChangeLog(records.Store, records.Model.Collection, time) : null;
    }

    /// <summary>The change feed's write side, when enabled (docs/realtime.md).</summary>
    public ChangeLog? Changes { get; }

    /// <summary>The version history, when enabled.</summary>
    public RecordHistory? History { get; }

    /// <summary>The expiry index, when records fall due.</summary>
    public ExpiryIndex? Expiry { get; }

    /// <summary><paramref name="record"/> if <paramref name="view"/> shows it, else null.</summary>
    public Record? Visible(Record? record, RecordView view)
    {
        if (record is null || !_spec.HidesRecords) return record;
        var data = record.Peek();
        if (DueAt(data) is { } due && due <= _time.GetUtcNow()) return null; // expired, or soft-deleted past retention: gone for everyone
        var deleted = _spec.SoftDelete && IsDeleted(data);
        return view switch
        {
            RecordView.Live => deleted ? null : record,
            RecordView.Deleted => deleted ? record : null,
            _ => record,
        };
    }

    /// <summary>Whether a stored document carries the soft-delete marker.</summary>
    public static bool IsDeleted(JsonObject data) => data[TimeFields.DeletedAt] is JsonValue v && v.GetValueKind() != JsonValueKind.Null;

    /// <summary>Sets the automatic time fields of a document about to be written.</summary>
    public void Stamp(JsonObject data, JsonObject? previous, WriteIntent intent)
    {
        if (Changes is not null) ChangeLog.KeepMonotonic(data, previous);
        if (_spec.RecordsActors)
        {
            var actor = WriteActor.Name is { } a ? JsonValue.Create(a) : null;
            if (previous is null) data[TimeFields.CreatedBy] = actor;
            else if (!data.ContainsKey(TimeFields.CreatedBy)) data[TimeFields.CreatedBy] = null;
            data[TimeFields.UpdatedBy] = actor?.DeepClone();
        }
        if (_spec.SoftDelete && intent.Operation == RecordOperation.Delete) data[TimeFields.DeletedAt] = data[AutoFields.UpdatedAt]?.DeepClone();
        else data.Remove(TimeFields.DeletedAt);
        if (intent is { Operation: RecordOperation.Restore, RestoredFrom: { } from }) data[TimeFields.RestoredFrom] = from;
        else data.Remove(TimeFields.RestoredFrom);
        if (_spec.Ttl is { } ttl && TimeOf(data[AutoFields.UpdatedAt]) is { } written)
            data[TimeFields.ExpiresAt] = (written + ttl).UtcDateTime.ToString(FieldValues.DateTimeFormat, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// When a document falls due for the sweep: its expiry, or its soft delete plus the retention — whichever is first.
    /// Null when never.
    /// </summary>
    public DateTimeOffset? DueAt(JsonObject data)
    {
        DateTimeOffset? due = null;
        var expiresField = _spec.ExpiresField ?? (_spec.Ttl is not null ? TimeFields.ExpiresAt : null);
        if (expiresField is not null) due = TimeOf(data[expiresField]);
        if (_spec is { SoftDelete: true, SoftDeleteRetention: { } keep } && TimeOf(data[TimeFields.DeletedAt]) is { } deletedAt
            && (due is null || deletedAt + keep < due)) due = deletedAt + keep;
        return due;
    }

    /// <summary>A date-time string, or Unix seconds; null for anything else.</summary>
    private static DateTimeOffset? TimeOf(JsonNode? node)
    {
        if (node is not JsonValue v) return null;
        if (v.GetValueKind() == JsonValueKind.String)
            return DateTimeOffset.TryParse(v.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;
        return Record.IntegerOf(v) is { } seconds && seconds is > -62_135_596_800 and < 253_402_300_799 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
    }

    /// <summary>
    /// What must be stored before the new version <paramref name="data"/> commits over <paramref name="current"/>: a
    /// snapshot of <paramref name="current"/> (history without bucket versioning), the expiry entry of a new due time and the
    /// change feed entry, in parallel. All are safe when the write then fails: the snapshot holds a version that did happen,
    /// the entries are verified against the record. Returns the write's feed entry, to settle with <see cref="Abandoned"/> or
    /// <see cref="Committed"/>.
    /// </summary>
    public async Task<PendingChange?> BeforeCommitAsync(Record? current, JsonObject data, CancellationToken ct)
    {
        Task? snapshot = current is not null && History is { } h ? h.SnapshotAsync(current, ct) : null;
        Task? entry = Expiry is { } e && DueAt(data) is { } due && (current is null || DueAt(current.Peek()) != due)
            ? e.WriteAsync(due, data[AutoFields.Id]!.GetValue<string>(), ct)
            : null;
        var change = Changes?.WriteAsync(current?.Peek(), data, ct);
        try
        {
            if (snapshot is not null) await snapshot;
            if (entry is not null) await entry;
            if (change is not null) await change;
        }
        catch when (change is not null)
        {
            await Task.WhenAny(change); // its entry is stored or failed: either way it goes
            if (change.IsCompletedSuccessfully) Changes!.Abandon(change.Result);
            throw;
        }
        if (change is null) return null;
        Changes!.EnsureInBudget(change.Result);
        return change.Result;
    }

    /// <summary>What must be stored before a tombstone replaces <paramref name="current"/>: its change feed entry.</summary>
    public async Task<PendingChange?> BeforeTombstoneAsync(Record current, RecordOperation operation, CancellationToken ct)
    {
        if (Changes is null) return null;
        var pending = await Changes.WriteRemovalAsync(current, operation, ct);
        Changes.EnsureInBudget(pending);
        return pending;
    }

    /// <summary>The write whose feed entry is <paramref name="pending"/> will not happen (it lost its race, or failed before its record was sent).</summary>
    public void Abandoned(PendingChange? pending) => Changes?.Abandon(pending);

    /// <summary>After an update committed: the old expiry entry goes when the due time moved.</summary>
    public async Task AfterReplaceAsync(JsonObject previous, JsonObject data, string id)
    {
        if (Expiry is { } e && DueAt(previous) is { } old && old != DueAt(data)) await e.RemoveAsync(old, id);
    }

    /// <summary>After a tombstone committed (a delete or purge): the expiry entry and the history go.</summary>
    public async Task AfterTombstoneAsync(Record deleted)
    {
        if (Expiry is { } e && DueAt(deleted.Peek()) is { } due) await e.RemoveAsync(due, deleted.Id);
        if (History is { } h) await h.PurgeAsync(deleted.Id, CancellationToken.None);
    }

    /// <summary>Reports an acknowledged write to <see cref="RecordRepository.Committed"/>; returns <paramref name="record"/>.</summary>
    public Record Committed(RecordOperation operation, Record record, PendingChange? pending, bool gone = false)
    {
        _records.Report(new RecordChange(_records.Model.Collection, operation, record.Id, record.Version, _time.GetUtcNow(), WriteActor.Name, gone ? null : record));
        Changes?.Committed(pending);
        return record;
    }
}
