using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LightS3.Model;
using LightS3.Storage;

namespace LightS3.Documents;

/// <summary>
/// A collection's version history (docs/history.md). Where the bucket keeps versions (S3 bucket versioning,
/// <see cref="IVersionedObjectStore"/>), the record object's own versions are the history: no extra write, read with
/// ListObjectVersions and GET by version id, each S3 version mapped to a record version by the body's <c>version</c>.
/// Elsewhere (embedded and memory stores, versioning off) a write copies the version it replaces — committed content
/// the writer has just read — to <c>{collection}/history/{id}/{inverted version}.json</c> before its compare-and-swap:
/// one extra PUT per update, none per create. A writer that then loses its race, or crashes, leaves a snapshot of a
/// version that did happen, identical to what the winner writes; a snapshot of the current version is ignored
/// (the record itself is that version). So history never shows a version that did not happen.
/// </summary>
public sealed class RecordHistory
{
    private readonly RecordRepository _records;
    private readonly TimeProvider _time;
    private readonly IVersionedObjectStore? _versioned;

    internal RecordHistory(RecordRepository records, HistorySpec spec, TimeProvider time)
    {
        _records = records;
        _time = time;
        Spec = spec;
        _versioned = records.Store.Find<IVersionedObjectStore>();
    }

    /// <summary>The retention settings.</summary>
    public HistorySpec Spec { get; }

    private IObjectStore Store => _records.Store;

    /// <summary>Where the snapshots of record <paramref name="id"/> live.</summary>
    public string SnapshotPrefix(string id) => $"{_records.Model.Collection}/history/{id}/";

    /// <summary>The snapshot key of a version: the version inverted, so a listing is newest first.</summary>
    public string SnapshotKey(string id, long version) => $"{SnapshotPrefix(id)}{long.MaxValue - version:D19}.json";

    private static long? VersionOfKey(string key)
    {
        var name = key[(key.LastIndexOf('/') + 1)..];
        return name.Length == 24 && name.EndsWith(".json", StringComparison.Ordinal) && long.TryParse(name[..19], NumberStyles.None, CultureInfo.InvariantCulture, out var inverted)
            ? long.MaxValue - inverted
            : null;
    }

    /// <summary>Whether the history lives in the bucket's own versions (asked once per store, then remembered).</summary>
    public async Task<bool> UsesBucketVersioningAsync(CancellationToken ct = default) =>
        _versioned is not null && await _versioned.IsVersioningEnabledAsync(ct);

    /// <summary>Before a write replaces <paramref name="current"/>: its snapshot (1 PUT), unless the bucket keeps versions.</summary>
    internal async Task SnapshotAsync(Record current, CancellationToken ct)
    {
        if (await UsesBucketVersioningAsync(ct)) return;
        await Store.PutAsync(SnapshotKey(current.Id, current.Version), current.ToUtf8(), WriteCondition.None, ct);
    }

    /// <summary>The oldest version retention keeps, by count.</summary>
    private long Lowest(Record current) => Math.Max(1, current.Version - Spec.Keep + 1);

    private bool TooOld(JsonObject data) =>
        Spec.MaxAge is { } age && DateTimeOffset.TryParse(data[AutoFields.UpdatedAt]?.GetValue<string>(), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) && at < _time.GetUtcNow() - age;

    /// <summary>
    /// The history of <paramref name="current"/>, newest first: <paramref name="limit"/> versions older than
    /// <paramref name="before"/> (from the current one when null). Costs 1 LIST plus 1 GET per version not yet in the
    /// record cache (versions never change, so a warm page costs the LIST alone).
    /// </summary>
    public async Task<HistoryPage> ListAsync(Record current, long? before, int limit, CancellationToken ct = default)
    {
        var start = Math.Min(before ?? long.MaxValue, current.Version + 1); // versions strictly below
        var entries = new List<HistoryEntry>();
        if (start > current.Version) entries.Add(EntryOf(current.Peek()));
        var lowest = Lowest(current);
        var older = await OlderVersionsAsync(current, Math.Min(start, current.Version), lowest, limit - entries.Count + 1, ct);
        foreach (var data in older)
        {
            if (TooOld(data)) break;
            entries.Add(EntryOf(data));
        }
        var more = entries.Count > limit;
        if (more) entries.RemoveRange(limit, entries.Count - limit);
        return new HistoryPage(entries, more ? entries[^1].Version : null);
    }

    /// <summary>The body of version <paramref name="version"/> of <paramref name="current"/>'s record, or null when it is not kept.</summary>
    public async Task<JsonObject?> GetAsync(Record current, long version, CancellationToken ct = default)
    {
        if (version == current.Version) return current.Peek();
        if (version > current.Version || version < Lowest(current)) return null;
        var found = (await OlderVersionsAsync(current, version + 1, version, 1, ct)).FirstOrDefault();
        return found is not null && Record.IntegerOf(found[AutoFields.Version]) == version && !TooOld(found) ? found : null;
    }

    /// <summary>Up to <paramref name="count"/> stored versions below <paramref name="below"/> and at least <paramref name="lowest"/>, newest first.</summary>
    private async Task<List<JsonObject>> OlderVersionsAsync(Record current, long below, long lowest, int count, CancellationToken ct)
    {
        if (count <= 0 || below <= lowest) return [];
        return await UsesBucketVersioningAsync(ct)
            ? await FromBucketVersionsAsync(current, below, lowest, count, ct)
            : await FromSnapshotsAsync(current, below, lowest, count, ct);
    }

    private async Task<List<JsonObject>> FromSnapshotsAsync(Record current, long below, long lowest, int count, CancellationToken ct)
    {
        var listing = await Store.ListAsync(SnapshotPrefix(current.Id), SnapshotKey(current.Id, below), Math.Min(1000, count + 1), ct);
        var wanted = listing.Entries.Where(e => VersionOfKey(e.Key) is { } v && v < current.Version && v >= lowest).ToList();
        var bodies = await Task.WhenAll(wanted.Select(e => ReadCachedAsync(e.Key, e.ETag, () => Store.GetAsync(e.Key, ct))));
        // a body must be the version its key names (anything else was not written by a snapshot)
        return bodies.Select((b, i) => (b, v: VersionOfKey(wanted[i].Key)))
            .Where(x => x.b is not null && Record.IntegerOf(x.b[AutoFields.Version]) == x.v)
            .Select(x => x.b!).ToList();
    }

    private async Task<List<JsonObject>> FromBucketVersionsAsync(Record current, long below, long lowest, int count, CancellationToken ct)
    {
        var key = _records.Layout.RecordKey(current.Id);
        var versions = (await _versioned!.ListVersionsAsync(key, ct)).Where(v => !v.IsDeleteMarker && v.Size != Tombstones.Size).ToList();
        // every acknowledged write is exactly one S3 version, so version n is expected at index current - n; each body read
        // confirms it, and a gap (versions written before versioning was on, removed by a lifecycle rule) falls back to a walk
        var result = new List<JsonObject>();
        var guess = (int)Math.Clamp(current.Version - (below - 1), 0, versions.Count);
        for (var from = guess; ; from = 0)
        {
            result.Clear();
            var restart = false;
            for (var i = from; i < versions.Count && result.Count < count; i++)
            {
                var v = versions[i];
                var body = await ReadCachedAsync($"{key}#{v.VersionId}", v.VersionId, () => _versioned.GetVersionAsync(key, v.VersionId, ct));
                if (body is null || Record.IntegerOf(body[AutoFields.Version]) is not { } n || n >= below) continue;
                if (from > 0 && result.Count == 0 && n < below - 1) { restart = true; break; } // a gap above: walk from the top
                if (n < lowest) break;
                if (result.Count > 0 && n >= Record.IntegerOf(result[^1][AutoFields.Version])) continue;
                result.Add(body);
            }
            if (!restart) break;
        }
        return result;
    }

    /// <summary>A stored version's body through the record cache (versions never change), or null when missing or not a record.</summary>
    private async Task<JsonObject?> ReadCachedAsync(string cacheKey, string etag, Func<Task<StoredObject?>> read)
    {
        if (!_records.Cache.TryGet(cacheKey, etag, out var bytes))
        {
            if (await read() is not { } stored || Tombstones.Is(stored.Content.Span)) return null;
            bytes = stored.Content;
            _records.Cache.Put(cacheKey, etag, bytes);
        }
        try
        {
            return RecordCodec.Decode(cacheKey, bytes);
        }
        catch (CorruptRecordException)
        {
            return null;
        }
    }

    /// <summary>The history entry of a stored version.</summary>
    public static HistoryEntry EntryOf(JsonObject data) => new(
        Record.IntegerOf(data[AutoFields.Version]) ?? 0,
        data[AutoFields.UpdatedAt] is JsonValue u && u.GetValueKind() == JsonValueKind.String ? u.GetValue<string>() : null,
        data[TimeFields.UpdatedBy] is JsonValue a && a.GetValueKind() == JsonValueKind.String ? a.GetValue<string>() : null,
        OperationOf(data));

    /// <summary>What wrote a version: the first one is a create; a soft delete and a restore mark themselves.</summary>
    public static string OperationOf(JsonObject data) =>
        RecordLifecycle.IsDeleted(data) ? "delete"
        : data[TimeFields.RestoredFrom] is JsonValue r && r.GetValueKind() == JsonValueKind.Number ? "restore"
        : Record.IntegerOf(data[AutoFields.Version]) == 1 ? "create"
        : "update";

    /// <summary>Removes a purged record's history: its snapshots and, on a versioned bucket, its older object versions.</summary>
    internal async Task PurgeAsync(string id, CancellationToken ct)
    {
        try
        {
            await foreach (var entry in Store.EnumerateAsync(SnapshotPrefix(id), null, ct)) await Store.DeleteAsync(entry.Key, null, ct);
            if (await UsesBucketVersioningAsync(ct))
            {
                var key = _records.Layout.RecordKey(id);
                // the current version (the tombstone) stays: it fences late writes until the collector removes it
                foreach (var v in (await _versioned!.ListVersionsAsync(key, ct)).Where(v => !v.IsLatest)) await _versioned.DeleteVersionAsync(key, v.VersionId, ct);
            }
        }
        catch (StorageException)
        {
            // best effort: an unreachable record's history is removed by the next collection pass
        }
    }

    /// <summary>
    /// Retention on storage, run by the garbage collector: per record, snapshots beyond <see cref="HistorySpec.Keep"/>
    /// versions or superseded longer than <see cref="HistorySpec.MaxAge"/> ago, and all snapshots of records that no
    /// longer exist. Returns how many snapshots it removed. (On a versioned bucket, old versions are the bucket's
    /// lifecycle rule's to expire; see docs/history.md.)
    /// </summary>
    public async Task<long> PruneAsync(CancellationToken ct = default)
    {
        var prefix = $"{_records.Model.Collection}/history/";
        var cutoff = Spec.MaxAge is { } age ? _time.GetUtcNow() - age : DateTimeOffset.MinValue;
        long removed = 0;
        string? id = null;
        long lowest = 0;
        await foreach (var entry in Store.EnumerateAsync(prefix, null, ct))
        {
            var rest = entry.Key[prefix.Length..];
            var slash = rest.IndexOf('/');
            if (slash < 0 || VersionOfKey(entry.Key) is not { } version) continue;
            if (rest[..slash] != id)
            {
                id = rest[..slash];
                var record = RecordIds.IsSafeName(id) ? await _records.ReadAsync(id, ct) : null;
                lowest = record is null ? long.MaxValue : Lowest(record);
            }
            if (version >= lowest && entry.LastModified >= cutoff) continue;
            await Store.DeleteAsync(entry.Key, null, ct);
            removed++;
        }
        return removed;
    }
}
