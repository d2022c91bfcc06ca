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
    private readonly TimeProvider _time;
    private readonly int _readParallelism;

    /// <summary>Creates the repository of <paramref name="model"/>'s collection.</summary>
    public RecordRepository(EndpointModel model, IObjectStore store, RecordCache cache, TimeProvider time, TimeSpan uniqueGrace, int readParallelism)
    {
        _model = model;
        _store = store;
        _cache = cache;
        _time = time;
        _readParallelism = Math.Max(1, readParallelism);
        Layout = new CollectionLayout(model.Collection);
        _unique = new UniqueMarkers(store, Layout, time, uniqueGrace);
    }

    /// <summary>The collection's key layout.</summary>
    public CollectionLayout Layout { get; }

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
        return new Record(key, stored.Content, stored.ETag);
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
        try
        {
            var key = Layout.RecordKey(id);
            var bytes = RecordCodec.Encode(data);
            var etag = await _store.PutAsync(key, bytes, WriteCondition.IfNoneMatch, ct);
            _cache.Put(key, etag, bytes);
            return new Record(key, bytes, etag, data);
        }
        catch
        {
            await _unique.ReleaseAsync(claimed, id, CancellationToken.None);
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
        var createdAt = current.Data[AutoFields.CreatedAt]?.DeepClone();
        var data = Compose(id, fields, createdAt, Now(), current.Version + 1);
        var claimed = await _unique.ClaimAsync(_model, id, data, current.Data, ct);
        var key = Layout.RecordKey(id);
        var bytes = RecordCodec.Encode(data);
        string etag;
        try
        {
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
        await _unique.ReleaseAsync(_unique.StaleKeys(_model, current.Data, data), id, ct);
        _cache.Put(key, etag, bytes);
        return new Record(key, bytes, etag, data);
    }

    /// <summary>
    /// Deletes a record, only if its ETag is still <paramref name="ifMatch"/> when one is given.
    /// Without unique fields this is the store's conditional delete (2 requests on RGW, 1 where the server
    /// enforces If-Match on DELETE); with them the record is read first (its values name the markers to
    /// release) and deleted as observed: 2 requests, plus the marker releases.
    /// </summary>
    public async Task DeleteAsync(string id, string? ifMatch, CancellationToken ct = default)
    {
        var key = Layout.RecordKey(id);
        Record? current = null;
        try
        {
            if (_model.UniqueFields.Any())
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
        if (current is not null) await _unique.ReleaseAsync(_unique.StaleKeys(_model, current.Data, null), id, ct);
    }

    /// <summary>
    /// Up to <paramref name="max"/> records in creation order: LIST pages of 1,000 keys, then GETs of the
    /// records the cache cannot answer, run concurrently with a bounded degree of parallelism.
    /// </summary>
    public async Task<IReadOnlyList<Record>> ListAsync(int max, CancellationToken ct = default)
    {
        var entries = new List<ObjectEntry>();
        string? after = null;
        while (entries.Count < max)
        {
            var page = await _store.ListAsync(Layout.RecordsPrefix, after, Math.Min(1000, max - entries.Count), ct);
            entries.AddRange(page.Entries.Where(e => Layout.IdOf(e.Key) is not null));
            if (!page.IsTruncated || page.Entries.Count == 0) break;
            after = page.Entries[^1].Key;
        }
        return await LoadAsync(entries, ct);
    }

    /// <summary>Loads listed entries, from the cache when the ETag matches, in the order given; vanished or unreadable ones are skipped.</summary>
    public async Task<IReadOnlyList<Record>> LoadAsync(IReadOnlyList<ObjectEntry> entries, CancellationToken ct = default)
    {
        var results = new Record?[entries.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, entries.Count),
            new ParallelOptions { MaxDegreeOfParallelism = _readParallelism, CancellationToken = ct },
            async (i, token) =>
            {
                var entry = entries[i];
                try
                {
                    results[i] = _cache.TryGet(entry.Key, entry.ETag) ?? await GetAsync(Layout.IdOf(entry.Key)!, token);
                }
                catch (CorruptRecordException)
                {
                    // one unreadable object must not break every listing; retrieving it reports the problem
                }
            });
        return results.Where(r => r is not null).ToList()!;
    }

    private JsonObject Compose(string id, JsonObject fields, JsonNode? createdAt, JsonNode? updatedAt, long version)
    {
        var data = new JsonObject { [AutoFields.Id] = id };
        foreach (var field in _model.Fields) data[field.Name] = fields[field.Name]?.DeepClone();
        data[AutoFields.CreatedAt] = createdAt;
        data[AutoFields.UpdatedAt] = updatedAt;
        data[AutoFields.Version] = version;
        return data;
    }

    private JsonNode Now() => JsonValue.Create(_time.GetUtcNow().UtcDateTime.ToString(FieldValues.DateTimeFormat, CultureInfo.InvariantCulture));
}
