using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using LightS3.Model;
using LightS3.Storage;

namespace LightS3.Documents;

/// <summary>
/// The write side of one collection's change feed: before a record version is written, its entry is stored (1 PUT) at
/// a key made of the version's <c>updated_at</c>, id and version; after the write committed, the entry is announced to
/// this instance's listeners (realtime events, webhooks). An entry whose write then fails is removed when the writer
/// knows it lost (a conflict), and is verified away by readers otherwise (a crash): see <see cref="ChangeReader"/>.
/// </summary>
internal sealed class ChangeLog(IObjectStore store, string collection, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Id, long Version, bool Removes), ChangeEntry> _pending = new();

    /// <summary>The settings (the defaults until the app attaches its own).</summary>
    public ChangeFeedOptions Options { get; private set; } = new();

    private Action<ChangeEntry>? _sink;

    /// <summary>The collection.</summary>
    public string Collection => collection;

    /// <summary>Takes the app's settings and where committed entries go.</summary>
    public void Attach(ChangeFeedOptions options, Action<ChangeEntry> sink)
    {
        Options = options;
        _sink = sink;
    }

    /// <summary>
    /// Keeps <c>updated_at</c> moving forward per record even when this instance's clock is behind the last writer's,
    /// so the entries of one record sort in commit order.
    /// </summary>
    public static void KeepMonotonic(JsonObject data, JsonObject? previous)
    {
        if (previous is null || ChangeCodec.TimeOf(Text(data[AutoFields.UpdatedAt])) is not { } now
            || ChangeCodec.TimeOf(Text(previous[AutoFields.UpdatedAt])) is not { } before || now > before) return;
        data[AutoFields.UpdatedAt] = ChangeCodec.Text(before.AddTicks(1));
    }

    /// <summary>Stores the entry of the version <paramref name="data"/> about to replace <paramref name="previous"/> (null: a create).</summary>
    public Task WriteAsync(JsonObject? previous, JsonObject data, CancellationToken ct)
    {
        var op = previous is null ? RecordOperation.Create
            : data.ContainsKey(TimeFields.RestoredFrom) ? RecordOperation.Restore
            : data[TimeFields.DeletedAt] is JsonValue ? RecordOperation.Delete
            : RecordOperation.Update;
        var id = data[AutoFields.Id]!.GetValue<string>();
        var version = Record.IntegerOf(data[AutoFields.Version]) ?? 0;
        var at = ChangeCodec.TimeOf(Text(data[AutoFields.UpdatedAt])) ?? time.GetUtcNow();
        var entry = new ChangeEntry(ChangeCursor.Of(at, id, version), collection, op, id, version, at, WriteActor.Name, data);
        return StoreAsync(entry, Text(previous?[AutoFields.UpdatedAt]), ct);
    }

    /// <summary>Stores the entry of a tombstone about to replace <paramref name="current"/> (a delete or a purge).</summary>
    public Task WriteRemovalAsync(Record current, RecordOperation operation, CancellationToken ct)
    {
        var data = current.Peek();
        var last = ChangeCodec.TimeOf(Text(data[AutoFields.UpdatedAt]));
        var at = time.GetUtcNow();
        if (last is { } l && at <= l) at = l.AddTicks(1); // after the version it removes, whatever this clock says
        var entry = new ChangeEntry(ChangeCursor.Of(at, current.Id, current.Version), collection, operation, current.Id, current.Version, at, WriteActor.Name, data)
        {
            Removes = true,
        };
        return StoreAsync(entry, Text(data[AutoFields.UpdatedAt]), ct);
    }

    private async Task StoreAsync(ChangeEntry entry, string? prev, CancellationToken ct)
    {
        if (_pending.Count > 10_000) Prune();
        _pending[(entry.Id, entry.Version, entry.Removes)] = entry;
        try
        {
            await store.PutAsync(ChangeCursor.Prefix(collection) + entry.Cursor, ChangeCodec.Encode(entry, prev), WriteCondition.None, ct);
        }
        catch
        {
            _pending.TryRemove((entry.Id, entry.Version, entry.Removes), out _);
            throw;
        }
    }

    /// <summary>
    /// Refuses the write (503) when its entry was stored too late for readers' settle delay: a reader may already have
    /// passed the entry's time. The entry is removed; the record is not written.
    /// </summary>
    public void EnsureInBudget(string id, long version, bool removes)
    {
        if (!_pending.TryGetValue((id, version, removes), out var entry)) return;
        if (time.GetUtcNow() - entry.At <= Options.EntryBudget) return;
        Abandon(id, version, removes);
        throw new StorageUnavailableException($"the change feed entry of {collection}/{id} took longer than {Options.EntryBudget.TotalSeconds:0.###} s to store; retry");
    }

    /// <summary>The write of that version will not happen (it lost its race, or failed before its record was sent): its entry goes, best effort.</summary>
    public void Abandon(string id, long version, bool removes)
    {
        if (!_pending.TryRemove((id, version, removes), out var entry)) return;
        var key = ChangeCursor.Prefix(collection) + entry.Cursor;
        DetachedWork.Start(() => store.DeleteAsync(key));
    }

    /// <summary>The write of that version committed: its entry is announced to this instance's listeners.</summary>
    public void Committed(string id, long version, bool removes)
    {
        if (_pending.TryRemove((id, version, removes), out var entry)) _sink?.Invoke(entry);
    }

    /// <summary>Forgets entries of writes that ended without a verdict (a store error after the record PUT was sent).</summary>
    private void Prune()
    {
        var old = time.GetUtcNow() - TimeSpan.FromMinutes(1);
        foreach (var (key, entry) in _pending)
            if (entry.At < old) _pending.TryRemove(key, out _);
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
