using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using LightS3.Model;
using LightS3.Storage;

namespace LightS3.Documents;

/// <summary>
/// Reads one collection's change feed: a LIST of the entries after the cursor, each verified against the record before
/// it is shown (entries are written before their record, like index entries), so a crash between the entry and the record
/// write never shows a change that did not happen.
/// <list type="bullet">
/// <item>Entry of the record's current version: shown when its <c>updated_at</c> is the record's (a writer that lost its
/// race or crashed announced the same version with another time).</item>
/// <item>Entry of an earlier version: each entry records the <c>updated_at</c> of the version it replaced, and the entry of
/// a version is at a known key, so the reader walks back from the current version to the real <c>updated_at</c> of that
/// version (1 GET per step, cached; entries are immutable). Where the chain is broken (entries older than the feed, or
/// past retention), the history decides when the collection keeps one, else the entry is shown.</item>
/// <item>Entry of a version not written yet: a write in flight; the reader stops before it (the cursor does not pass it)
/// until the version appears or <see cref="ChangeFeedOptions.PendingTimeout"/> passes (then it never will).</item>
/// <item>Removal (tombstone) entries are shown once the record is gone; entries of a gone record are shown when it is a
/// tombstone, or, once the tombstone itself was collected, when the same page holds its removal.</item>
/// </list>
/// Entries younger than <see cref="ChangeFeedOptions.Settle"/> are not read yet, so a writer on an instance with a
/// slightly different clock cannot add an entry behind a cursor already handed out.
/// </summary>
internal sealed class ChangeReader(RecordRepository records, ChangeFeedOptions options, TimeProvider time)
{
    private const int MaxWalk = 64;
    private readonly ConcurrentDictionary<string, (ChangeEntry Entry, string? Prev)?> _entries = new();
    private readonly string _prefix = ChangeCursor.Prefix(records.Model.Collection);
    private IObjectStore Store => records.Store;

    private enum Verdict { Shown, Phantom, Pending }

    private abstract record RecordState
    {
        public sealed record Live(JsonObject Data, string ETag) : RecordState;
        public sealed record Tombstone : RecordState;
        public sealed record Missing : RecordState;
    }

    /// <summary>Up to <paramref name="limit"/> verified entries after <paramref name="since"/> (from the oldest when null).</summary>
    public async Task<ChangePage> ReadAsync(string? since, int limit, CancellationToken ct)
    {
        var frontier = (time.GetUtcNow() - options.Settle).UtcTicks;
        var results = new List<ChangeEntry>();
        var next = since;
        var exhausted = false;
        var after = since is null ? null : _prefix + since;
        while (true)
        {
            var listing = await Store.ListAsync(_prefix, after, Math.Clamp(limit + 10, 20, 1000), ct);
            var settled = listing.Entries.TakeWhile(e => Settled(e.Key, frontier)).ToList();
            if (settled.Count == 0)
            {
                exhausted = true;
                break;
            }
            var loaded = await Task.WhenAll(settled.Select(e => LoadAsync(e.Key, ct)));
            var removedIds = loaded.Where(l => l is { Entry.Removes: true }).Select(l => l!.Value.Entry.Id).ToHashSet(StringComparer.Ordinal);
            var states = new ConcurrentDictionary<string, RecordState>(StringComparer.Ordinal);
            await Parallel.ForEachAsync(loaded.Where(l => l is not null).Select(l => l!.Value.Entry.Id).Distinct(),
                new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct },
                async (id, c) => states[id] = await StateOfAsync(id, c));
            for (var i = 0; i < settled.Count; i++)
            {
                var cursor = settled[i].Key[_prefix.Length..];
                if (loaded[i] is not { } item)
                {
                    next = cursor; // not an entry: skipped
                    continue;
                }
                switch (await VerifyAsync(item.Entry, states[item.Entry.Id], removedIds, ct))
                {
                    case Verdict.Pending:
                        return new ChangePage(results, next);
                    case Verdict.Shown:
                        results.Add(item.Entry);
                        break;
                }
                next = cursor;
                if (results.Count >= limit) return new ChangePage(results, next);
            }
            if (settled.Count < listing.Entries.Count || !listing.IsTruncated)
            {
                exhausted = true;
                break;
            }
            after = settled[^1].Key;
        }
        // everything before the settle frontier was read: the cursor moves up to it even without entries
        var mark = ChangeCursor.Before(new DateTimeOffset(frontier, TimeSpan.Zero));
        if (exhausted && (next is null || string.CompareOrdinal(mark, next) > 0)) next = mark;
        return new ChangePage(results, next);
    }

    private bool Settled(string key, long frontier) =>
        key.Length > _prefix.Length + 19 && long.TryParse(key.AsSpan(_prefix.Length, 19), out var ticks) ? ticks < frontier : true;

    private async Task<Verdict> VerifyAsync(ChangeEntry entry, RecordState state, HashSet<string> removedIds, CancellationToken ct)
    {
        switch (state)
        {
            case RecordState.Tombstone:
                return Verdict.Shown;
            case RecordState.Missing:
                return entry.Removes || removedIds.Contains(entry.Id) ? Verdict.Shown : Unborn(entry);
        }
        var live = (RecordState.Live)state;
        if (entry.Removes) return Unborn(entry); // the record is still there: the tombstone has not landed (yet)
        var version = Record.IntegerOf(live.Data[AutoFields.Version]) ?? 0;
        var updatedAt = live.Data[AutoFields.UpdatedAt] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (entry.Version > version) return Unborn(entry);
        var at = ChangeCodec.Text(entry.At);
        if (entry.Version == version) return at == updatedAt ? Verdict.Shown : Verdict.Phantom;
        var real = await UpdatedAtOfAsync(entry.Id, version, updatedAt, entry.Version, ct);
        if (real is null && records.History is { } history)
            real = (await history.GetAsync(new Record(live.Data, live.ETag), entry.Version, ct))?[AutoFields.UpdatedAt] is JsonValue hv && hv.TryGetValue<string>(out var h) ? h : null;
        return real is null || real == at ? Verdict.Shown : Verdict.Phantom;
    }

    /// <summary>A version that has not appeared: in flight while young, never after <see cref="ChangeFeedOptions.PendingTimeout"/>.</summary>
    private Verdict Unborn(ChangeEntry entry) => time.GetUtcNow() - entry.At < options.PendingTimeout ? Verdict.Pending : Verdict.Phantom;

    /// <summary>
    /// The <c>updated_at</c> of version <paramref name="wanted"/>, walking back from the current version through the entries'
    /// <c>prev</c>; null when the chain is broken.
    /// </summary>
    private async Task<string?> UpdatedAtOfAsync(string id, long version, string? updatedAt, long wanted, CancellationToken ct)
    {
        if (version - wanted > MaxWalk) return null;
        var u = updatedAt;
        for (var v = version; v > wanted; v--)
        {
            if (ChangeCodec.TimeOf(u) is not { } at) return null;
            var cursor = ChangeCursor.Of(at, id, v);
            if (await LoadAsync(_prefix + cursor, ct) is not { } found) return null;
            u = found.Prev;
        }
        return u;
    }

    private async Task<RecordState> StateOfAsync(string id, CancellationToken ct)
    {
        if (!RecordIds.IsSafeName(id)) return new RecordState.Missing();
        var stored = await Store.GetAsync(records.Layout.RecordKey(id), ct);
        if (stored is null) return new RecordState.Missing();
        if (Tombstones.Is(stored.Content.Span)) return new RecordState.Tombstone();
        return JsonNode.Parse(stored.Content.Span) is JsonObject data ? new RecordState.Live(data, stored.ETag) : new RecordState.Missing();
    }

    /// <summary>An entry (immutable, so remembered once read); null when the key holds no entry.</summary>
    private async Task<(ChangeEntry Entry, string? Prev)?> LoadAsync(string key, CancellationToken ct)
    {
        if (_entries.TryGetValue(key, out var known)) return known is { } k ? (k.Entry, k.Prev) : null;
        var stored = await Store.GetAsync(key, ct);
        if (stored is null) return null; // not remembered: a pending write may still store it
        var cursor = key[_prefix.Length..];
        var decoded = ChangeCursor.Parse(cursor) is not null ? ChangeCodec.Decode(records.Model.Collection, cursor, stored.Content) : null;
        if (_entries.Count > 20_000) _entries.Clear();
        _entries[key] = decoded;
        return decoded;
    }
}
