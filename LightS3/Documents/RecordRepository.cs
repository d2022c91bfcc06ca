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
public sealed class RecordRepository
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
    }

    /// <summary>The collection's index key layout.</summary>
    public IndexLayout Index { get; }

    /// <summary>The endpoint model.</summary>
    public EndpointModel Model => _model;

    /// <summary>The collection's key layout.</summary>
    public CollectionLayout Layout { get; }

    /// <summary>The record cache shared by the app.</summary>
    public RecordCache Cache => _cache;

    /// <summary>The store underneath.</summary>
    public IObjectStore Store => _store;

    /// <summary>Reads a record (1 GET), or null when it does not exist.</summary>
    public async Task<Record?> GetAsync(string id, CancellationToken ct = default)
    {
        var key = Layout.RecordKey(id);
        var stored = await _store.GetAsync(key, ct);
        if (stored is null) return null;
        RecordCodec.EnsureObject(key, stored.Content.Span);
        _cache.Put(key, stored.ETag, stored.Content);
        return Materialize(id, key, stored.Content, stored.ETag);
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

    /// <summary>The record <paramref name="id"/> from the record cache, when its ETag is still <paramref name="etag"/>.</summary>
    public Record? TryGetCached(string id, string etag)
    {
        var key = Layout.RecordKey(id);
        return _cache.TryGet(key, etag, out var bytes) ? Materialize(id, key, bytes, etag) : null;
    }

    /// <summary>
    /// A record from stored bytes. Objects written by other programs (reflected data) may lack the id: it is
    /// taken from the object name, so responses, links and cursors always have one.
    /// </summary>
    private Record Materialize(string id, string key, ReadOnlyMemory<byte> bytes, string etag)
    {
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
        var claimed = await _unique.ClaimAsync(_model, id, data, null, ct);
        var entries = _index.KeysOf(data, id, 1);
        try
        {
            await _index.WriteAsync(entries, 1, ct);
            var key = Layout.RecordKey(id);
            var bytes = RecordCodec.Encode(data);
            var etag = await _store.PutAsync(key, bytes, WriteCondition.IfNoneMatch, ct);
            _cache.Put(key, etag, bytes);
            return new Record(key, bytes, etag, data);
        }
        catch
        {
            await _unique.ReleaseAsync(claimed, id, CancellationToken.None);
            await _index.RemoveAsync(entries); // the id is new: nobody else can own these entries
            throw;
        }
    }

    /// <summary>
    /// Replaces <paramref name="current"/> with <paramref name="fields"/> by compare-and-swap on its ETag.
    /// Throws <see cref="VersionConflictException"/> when someone else wrote first, or
    /// <see cref="RecordNotFoundException"/> when the record was deleted meanwhile.
    /// </summary>
    public async Task<Record> ReplaceAsync(Record current, JsonObject fields, CancellationToken ct = default)
    {
        var id = current.Id;
        var createdAt = current.Peek()[AutoFields.CreatedAt]?.DeepClone();
        var data = Compose(id, fields, createdAt, Now(), current.Version + 1, current.Peek());
        var claimed = await _unique.ClaimAsync(_model, id, data, current.Peek(), ct);
        var key = Layout.RecordKey(id);
        var bytes = RecordCodec.Encode(data);
        string etag;
        try
        {
            // entries of the new version go first; on a lost race they stay behind as stale entries, never removed
            // here, because a concurrent winner may have written the very same keys
            await _index.WriteAsync(_index.KeysOf(data, id, current.Version + 1), current.Version + 1, ct);
            etag = await _store.PutAsync(key, bytes, WriteCondition.IfMatch(current.ETag), ct);
        }
        catch (PreconditionFailedException)
        {
            await _unique.ReleaseAsync(claimed, id, CancellationToken.None);
            if (await _store.GetAsync(key, ct) is null) throw new RecordNotFoundException(id);
            throw new VersionConflictException(id);
        }
        catch
        {
            await _unique.ReleaseAsync(claimed, id, CancellationToken.None);
            throw;
        }
        await _unique.ReleaseAsync(_unique.StaleKeys(_model, current.Peek(), data), id, ct);
        await _index.RemoveAsync(_index.KeysOf(current.Peek(), id, current.Version));
        _cache.Put(key, etag, bytes);
        return new Record(key, bytes, etag, data);
    }

    /// <summary>
    /// Deletes a record, only if its ETag is still <paramref name="ifMatch"/> when one is given.
    /// Without unique or indexed fields this is the store's conditional delete (2 requests on RGW, 1 where the
    /// server enforces If-Match on DELETE); with them the record is read first (its values name the markers and
    /// index entries to remove) and deleted as observed: 2 requests, plus those removals.
    /// </summary>
    public async Task DeleteAsync(string id, string? ifMatch, CancellationToken ct = default)
    {
        var key = Layout.RecordKey(id);
        Record? current = null;
        try
        {
            if (_model.UniqueFields.Any() || _model.IndexedFields.Any())
            {
                current = await GetAsync(id, ct) ?? throw new RecordNotFoundException(id);
                if (ifMatch is not null && ETags.Normalize(ifMatch) != current.ETag) throw new VersionConflictException(id);
                if (!await _store.DeleteObservedAsync(key, current.ETag, ct)) throw new RecordNotFoundException(id);
            }
            else if (!await _store.DeleteAsync(key, ifMatch, ct))
            {
                throw new RecordNotFoundException(id);
            }
        }
        catch (PreconditionFailedException)
        {
            throw new VersionConflictException(id);
        }
        finally
        {
            _cache.Remove(key);
        }
        if (current is null) return;
        await _unique.ReleaseAsync(_unique.StaleKeys(_model, current.Peek(), null), id, ct);
        await _index.RemoveAsync(_index.KeysOf(current.Peek(), id, current.Version));
    }

    private JsonObject Compose(string id, JsonObject fields, JsonNode? createdAt, JsonNode? updatedAt, long version, JsonObject? previous = null)
    {
        var data = new JsonObject { [AutoFields.Id] = id };
        foreach (var field in _model.Fields) data[field.Name] = fields[field.Name]?.DeepClone();
        // properties the schema does not declare (reflected data written by another program) are kept, never dropped
        foreach (var (name, value) in previous ?? [])
            if (!data.ContainsKey(name) && !AutoFields.All.Contains(name)) data[name] = value?.DeepClone();
        data[AutoFields.CreatedAt] = createdAt;
        data[AutoFields.UpdatedAt] = updatedAt;
        data[AutoFields.Version] = version;
        return data;
    }

    private JsonNode Now() => JsonValue.Create(_time.GetUtcNow().UtcDateTime.ToString(FieldValues.DateTimeFormat, CultureInfo.InvariantCulture));
}
