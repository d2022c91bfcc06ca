using System.Globalization;
using System.Text.Json.Nodes;
using LightS3.Model;
using LightS3.Storage;
using LightS3.Validation;

namespace LightS3.Documents;

/// <summary>
/// Reads and writes one collection's records. Creates are <c>If-None-Match: *</c> PUTs, updates are
/// <c>If-Match</c> PUTs on the ETag read, so a stale writer always loses with
/// <see cref="VersionConflictException"/>. Every write bumps <c>version</c> and <c>updated_at</c>, so the
/// bytes (and the ETag) of a record never repeat.
/// </summary>
public sealed partial class RecordRepository
{
    private readonly EndpointModel _model;
    private readonly IObjectStore _store;
    private readonly RecordCache _cache;
    private readonly UniqueMarkers _unique;
    private readonly IndexEntries _index;
    private readonly TimeProvider _time;

    /// <summary>Creates the repository of <paramref name="model"/>'s collection.</summary>
    public RecordRepository(EndpointModel model, IObjectStore store, RecordCache cache, TimeProvider time, TimeSpan uniqueGrace)
    {
        _model = model;
        _store = store;
        _cache = cache;
        _time = time;
        Layout = new CollectionLayout(model.Collection, model.RecordsPath);
        _unique = new UniqueMarkers(store, Layout, time, uniqueGrace);
        Index = new IndexLayout(model.Collection);
        _index = new IndexEntries(model, store, Index);
        _life = new RecordLifecycle(this, time);
    }

    /// <summary>The collection's index key layout.</summary>
    public IndexLayout Index { get; }

    /// <summary>The endpoint model.</summary>
    public EndpointModel Model => _model;

    /// <summary>The collection's key layout.</summary>
    public CollectionLayout Layout { get; }

    /// <summary>The record cache shared by the app.</summary>
    public RecordCache Cache => _cache;

    /// <summary>The collection's unique-value markers.</summary>
    internal UniqueMarkers Unique => _unique;

    /// <summary>The store underneath.</summary>
    public IObjectStore Store => _store;

    /// <summary>Reads a record (1 GET), or null when it does not exist, is deleted (a tombstone), or is hidden (soft-deleted or expired).</summary>
    public async Task<Record?> GetAsync(string id, CancellationToken ct = default) => _life.Visible(await ReadAsync(id, ct), CurrentView);

    /// <summary>Reads a stored record (1 GET) whether hidden or not; null when it does not exist or is a tombstone.</summary>
    internal async Task<Record?> ReadAsync(string id, CancellationToken ct = default)
    {
        var key = Layout.RecordKey(id);
        var stored = await _store.GetAsync(key, ct);
        if (stored is null) return null;
        if (Tombstones.Is(stored.Content.Span))
        {
            _cache.Put(key, stored.ETag, stored.Content); // a warm listing then skips it without a GET
            return null;
        }
        RecordCodec.EnsureObject(key, stored.Content.Span);
        _cache.Put(key, stored.ETag, stored.Content);
        return Materialize(id, key, stored.Content, stored.ETag);
    }

    /// <summary>
    /// A record seen in a listing with <paramref name="etag"/>: from the record cache when unchanged (0 requests),
    /// else read (1 GET). Null when it is deleted or gone.
    /// </summary>
    public async ValueTask<Record?> GetListedAsync(string id, string? etag, CancellationToken ct = default)
    {
        var key = Layout.RecordKey(id);
        if (etag is not null && _cache.TryGet(key, etag, out var bytes))
            return Tombstones.Is(bytes.Span) ? null : _life.Visible(Materialize(id, key, bytes, etag), CurrentView);
        return await GetAsync(id, ct);
    }

    /// <summary>
    /// The record whose unique <paramref name="field"/> holds <paramref name="value"/> (canonical text): one marker
    /// GET and one record GET, verified against the record — never a scan.
    /// </summary>
    public async Task<Record?> FindByUniqueAsync(string field, string value, CancellationToken ct = default)
    {
        if (await _unique.OwnerOfAsync(field, value, ct) is not { } id || !RecordIds.IsSafeName(id)) return null;
        var record = await GetAsync(id, ct);
        return record is not null && UniqueMarkers.TextOf(record.Peek()[field]) == value ? record : null;
    }

    /// <summary>
    /// A record from stored bytes. Objects written by other programs (reflected data) may lack the id: it is
    /// taken from the object name, so responses, links and cursors always have one.
    /// </summary>
    private Record Materialize(string id, string key, ReadOnlyMemory<byte> bytes, string etag)
    {
        if (Upgraded(key, bytes) is { } upgraded) return new Record(upgraded, etag);
        if (_model.RecordsPath is null) return new Record(key, bytes, etag);
        var data = RecordCodec.Decode(key, bytes);
        if (data.ContainsKey(AutoFields.Id)) return new Record(key, bytes, etag, data);
        var withId = new JsonObject { [AutoFields.Id] = id };
        foreach (var (name, value) in data.ToList())
        {
            data.Remove(name);
            withId[name] = value;
        }
        return new Record(withId, etag);
    }

    /// <summary>
    /// Creates a record from validated, canonical <paramref name="fields"/>: one conditional PUT, plus one
    /// marker PUT per unique field.
    /// </summary>
    public async Task<Record> InsertAsync(JsonObject fields, CancellationToken ct = default)
    {
        var id = RecordIds.New();
        var now = Now();
        var data = Compose(id, fields, now, now.DeepClone(), 1);
        if (Upgrader?.Latest is { } schema) data[SchemaStamp.Field] = schema;
        _life.Stamp(data, null, new WriteIntent(RecordOperation.Create));
        var claimed = await _unique.ClaimAsync(_model, id, 1, data, null, ct);
        var entries = _index.KeysOf(data, id, 1);
        var sent = false;
        PendingChange? change = null;
        try
        {
            await _index.WriteAsync(entries, 1, ct);
            var key = Layout.RecordKey(id);
            var bytes = RecordCodec.Encode(data);
            change = await _life.BeforeCommitAsync(null, data, ct);
            sent = true;
            var etag = await _store.PutAsync(key, bytes, WriteCondition.IfNoneMatch, ct);
            _cache.Put(key, etag, bytes);
            return _life.Committed(RecordOperation.Create, new Record(key, bytes, etag, data), change);
        }
        catch when (!sent)
        {
            // the record was certainly not written and its id is new, so nobody else owns these markers and entries.
            // (Once its PUT was sent it may still land — after a timeout, or as a retried request — so they stay, as
            // orphans the grace period repairs; the takeover fences the id first.)
            // Cleanup runs detached: the answer (often a 503) must not wait for a store that is failing.
            _life.Abandoned(change);
            DetachedWork.Start(async () =>
            {
                await _unique.ReleaseAsync(claimed, id, 1, CancellationToken.None);
                await _index.RemoveAsync(entries);
            });
            throw;
        }
    }

    /// <summary>
    /// Replaces <paramref name="current"/> with <paramref name="fields"/> by compare-and-swap on its ETag.
    /// Throws <see cref="VersionConflictException"/> when someone else wrote first, or
    /// <see cref="RecordNotFoundException"/> when the record was deleted meanwhile.
    /// </summary>
    public Task<Record> ReplaceAsync(Record current, JsonObject fields, CancellationToken ct = default) => ReplaceAsync(current, fields, WriteIntent.Update, ct);

    /// <summary>
    /// Like <see cref="ReplaceAsync(Record, JsonObject, CancellationToken)"/>, but file fields are written from <paramref name="fields"/> too (LightS3.Files):
    /// every other write keeps the stored file fields, whatever it is given.
    /// </summary>
    internal Task<Record> ReplaceFilesAsync(Record current, JsonObject fields, CancellationToken ct = default) => ReplaceAsync(current, fields, WriteIntent.Update, ct, writeFiles: true);

    private async Task<Record> ReplaceAsync(Record current, JsonObject fields, WriteIntent intent, CancellationToken ct, bool writeFiles = false, bool wholeDocument = false)
    {
        var id = current.Id;
        var createdAt = current.Peek()[AutoFields.CreatedAt]?.DeepClone();
        var data = Compose(id, fields, createdAt, Now(), current.Version + 1, current.Peek(), writeFiles, wholeDocument);
        _life.Stamp(data, current.Peek(), intent);
        await _unique.ClaimAsync(_model, id, current.Version + 1, data, current.Peek(), ct);
        var key = Layout.RecordKey(id);
        var bytes = RecordCodec.Encode(data);
        string etag;
        PendingChange? change = null;
        try
        {
            // entries of the new version go first; on a lost race they stay behind as stale entries, never removed
            // here, because a concurrent winner may have written the very same keys
            await _index.WriteAsync(_index.KeysOf(data, id, current.Version + 1), current.Version + 1, ct);
            change = await _life.BeforeCommitAsync(current, data, ct);
            etag = await _store.PutAsync(key, bytes, WriteCondition.IfMatch(current.ETag), ct);
        }
        catch (PreconditionFailedException)
        {
            // what this write claimed is not released: a concurrent write of the same record may hold the same value.
            // An unused claim is an orphan that the next claimer takes over after the grace period (docs/locking.md).
            _life.Abandoned(change);
            if (await GetAsync(id, ct) is null) throw new RecordNotFoundException(id);
            throw new VersionConflictException(id);
        }
        _cache.Put(key, etag, bytes);
        await AfterCommitAsync(async () =>
        {
            await _unique.ReleaseAsync(_unique.StaleKeys(_model, current.Peek(), data), id, current.Version, CancellationToken.None);
            await _index.RemoveAsync(_index.KeysOf(current.Peek(), id, current.Version));
            await _life.AfterReplaceAsync(current.Peek(), data, id);
        });
        return _life.Committed(intent.Operation, new Record(key, bytes, etag, data), change);
    }

    /// <summary>
    /// Deletes a record, only if its ETag is still one of <paramref name="ifMatch"/> (an <c>If-Match</c> list) when
    /// given: 1 GET, then a compare-and-swap PUT of a tombstone on the ETag read, so a delete and an update racing
    /// on one version cannot both win (see docs/locking.md). Then its unique values are released and its index
    /// entries removed; the tombstone itself is collected later by <see cref="Hosting.StorageCollector"/>.
    /// </summary>
    public async Task DeleteAsync(string id, string? ifMatch, CancellationToken ct = default)
    {
        var current = await GetAsync(id, ct) ?? throw new RecordNotFoundException(id);
        if (ifMatch is not null && !ETags.HeaderMatches(ifMatch, current.ETag)) throw new VersionConflictException(id, null, current.Version);
        await DeleteAsync(current, ct);
    }

    /// <summary>
    /// Deletes exactly the version <paramref name="current"/> that the caller read: a compare-and-swap PUT of a tombstone
    /// on its ETag — or, on a soft-delete collection, of the same record marked <c>deleted_at</c>. Throws
    /// <see cref="VersionConflictException"/> when the record changed since, or <see cref="RecordNotFoundException"/>
    /// when it was deleted meanwhile.
    /// </summary>
    public Task DeleteAsync(Record current, CancellationToken ct = default) =>
        _model.Time.SoftDelete ? SoftDeleteAsync(current, ct) : TombstoneAsync(current, RecordOperation.Delete, ct);

    /// <summary>Replaces exactly the version <paramref name="current"/> with a tombstone (a delete, or a purge), by compare-and-swap.</summary>
    private async Task TombstoneAsync(Record current, RecordOperation operation, CancellationToken ct)
    {
        var id = current.Id;
        var key = Layout.RecordKey(id);
        var change = await _life.BeforeTombstoneAsync(current, operation, ct);
        try
        {
            var etag = await _store.PutAsync(key, Tombstones.Bytes, WriteCondition.IfMatch(current.ETag), ct);
            _cache.Put(key, etag, Tombstones.Bytes);
        }
        catch (PreconditionFailedException)
        {
            _life.Abandoned(change);
            _cache.Remove(key);
            if (await ReadAsync(id, ct) is not null) throw new VersionConflictException(id); // soft-deleted meanwhile is not gone
            // deleted meanwhile (maybe by this very request, retried): the id is dead, so its cleanup is always safe
            await AfterCommitAsync(() => CleanUpDeletedAsync(current));
            throw new RecordNotFoundException(id);
        }
        await AfterCommitAsync(() => CleanUpDeletedAsync(current));
        _life.Committed(operation, current, change, gone: true);
    }

    private async Task CleanUpDeletedAsync(Record deleted)
    {
        await _unique.ReleaseAsync(_unique.StaleKeys(_model, deleted.Peek(), null), deleted.Id, deleted.Version, CancellationToken.None);
        await _index.RemoveAsync(_index.KeysOf(deleted.Peek(), deleted.Id, deleted.Version));
        await _life.AfterTombstoneAsync(deleted);
    }

    /// <summary>How long a committed write waits for its cleanup (releasing old unique values, removing old index entries).</summary>
    internal static readonly TimeSpan CleanupBudget = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Runs the best-effort cleanup of a committed write. Normally it finishes at once and a released value is free
    /// when the client gets its answer; if the store stalls, the answer goes out after <see cref="CleanupBudget"/> and
    /// the cleanup finishes (or is repaired by the collector) in the background — the write is committed either way.
    /// </summary>
    private static Task AfterCommitAsync(Func<Task> cleanup) => DetachedWork.RunWithinAsync(cleanup, CleanupBudget); // never rethrows: the write is committed

    private JsonObject Compose(string id, JsonObject fields, JsonNode? createdAt, JsonNode? updatedAt, long version, JsonObject? previous = null, bool writeFiles = false, bool wholeDocument = false)
    {
        var data = new JsonObject { [AutoFields.Id] = id };
        // file fields are read-only to clients and hooks: only the file operations change them (docs/files.md)
        foreach (var field in _model.Fields)
            data[field.Name] = (field.Kind == FieldKind.File && !writeFiles ? previous?[field.Name] : fields[field.Name])?.DeepClone();
        // properties the schema does not declare (reflected data written by another program) are kept, never dropped
        // (a migration's rewrite passes the whole new document: what it dropped stays dropped)
        foreach (var (name, value) in (wholeDocument ? fields : previous) ?? [])
            if (!data.ContainsKey(name) && !AutoFields.All.Contains(name)) data[name] = value?.DeepClone();
        data[AutoFields.CreatedAt] = createdAt;
        data[AutoFields.UpdatedAt] = updatedAt;
        data[AutoFields.Version] = version;
        return data;
    }

    private JsonNode Now() => JsonValue.Create(_time.GetUtcNow().UtcDateTime.ToString(FieldValues.DateTimeFormat, CultureInfo.InvariantCulture));
}
