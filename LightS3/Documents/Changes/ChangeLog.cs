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
    /// <summary>How often a removal entry moves one tick later when another writer's entry holds its key.</summary>
    private const int MaxKeyAttempts = 8;

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
    public async Task<PendingChange> WriteAsync(JsonObject? previous, JsonObject data, CancellationToken ct)
    {
        var op = previous is null ? RecordOperation.Create
            : data.ContainsKey(TimeFields.RestoredFrom) ? RecordOperation.Restore
            : data[TimeFields.DeletedAt] is JsonValue ? RecordOperation.Delete
            : RecordOperation.Update;
        var id = data[AutoFields.Id]!.GetValue<string>();
        var version = Record.IntegerOf(data[AutoFields.Version]) ?? 0;
        var at = ChangeCodec.TimeOf(Text(data[AutoFields.UpdatedAt])) ?? time.GetUtcNow();
        var entry = new ChangeEntry(ChangeCursor.Of(at, id, version), collection, op, id, version, at, WriteActor.Name, data);
        // the key is fixed by the version's updated_at (readers verify the entry by it), so it is written as it is
        var key = ChangeCursor.Prefix(collection) + entry.Cursor;
        var etag = await store.PutAsync(key, ChangeCodec.Encode(entry, Text(previous?[AutoFields.UpdatedAt])), WriteCondition.None, ct);
        return new PendingChange(entry, key, etag);
    }

    /// <summary>
    /// Stores the entry of a tombstone about to replace <paramref name="current"/> (a delete or a purge). Its time is free, so
    /// the entry gets a key of its own (<c>If-None-Match</c>, one tick later per taken key): two deleters racing on one version
    /// never share an entry, and the loser's abandoning removes only its own.
    /// </summary>
    public async Task<PendingChange> WriteRemovalAsync(Record current, RecordOperation operation, CancellationToken ct)
    {
        var data = current.Peek();
        var last = ChangeCodec.TimeOf(Text(data[AutoFields.UpdatedAt]));
        var at = time.GetUtcNow();
        if (last is { } l && at <= l) at = l.AddTicks(1); // after the version it removes, whatever this clock says
        for (var attempt = 1; ; attempt++, at = at.AddTicks(1))
        {
            var entry = new ChangeEntry(ChangeCursor.Of(at, current.Id, current.Version), collection, operation, current.Id, current.Version, at, WriteActor.Name, data)
            {
                Removes = true,
            };
            var key = ChangeCursor.Prefix(collection) + entry.Cursor;
            try
            {
                var etag = await store.PutAsync(key, ChangeCodec.Encode(entry, Text(data[AutoFields.UpdatedAt])), WriteCondition.IfNoneMatch, ct);
                return new PendingChange(entry, key, etag);
            }
            catch (PreconditionFailedException) when (attempt < MaxKeyAttempts)
            {
                // another writer's removal of the same version at the same tick
            }
        }
    }

    /// <summary>
    /// Refuses the write (503) when its entry was stored too late for readers' settle delay: a reader may already have
    /// passed the entry's time. The entry is removed; the record is not written.
    /// </summary>
    public void EnsureInBudget(PendingChange pending)
    {
        if (time.GetUtcNow() - pending.Entry.At <= Options.EntryBudget) return;
        Abandon(pending);
        throw new StorageUnavailableException($"the change feed entry of {collection}/{pending.Entry.Id} took longer than {Options.EntryBudget.TotalSeconds:0.###} s to store; retry");
    }

    /// <summary>
    /// The write will not happen (it lost its race, or failed before its record was sent): its entry goes, best effort, and
    /// only while it holds this write's bytes (another writer's entry at the same key stays).
    /// </summary>
    public void Abandon(PendingChange? pending)
    {
        if (pending is null || !pending.Settle()) return;
        DetachedWork.Start(() => store.DeleteAsync(pending.Key, pending.ETag));
    }

    /// <summary>The write committed: its entry is announced to this instance's listeners.</summary>
    public void Committed(PendingChange? pending)
    {
        if (pending is not null && pending.Settle()) _sink?.Invoke(pending.Entry);
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
