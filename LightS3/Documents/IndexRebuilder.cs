using LightS3.Storage;

namespace LightS3.Documents;

/// <summary>
/// Re-indexes a collection: writes every missing entry of every record's current version (after adding
/// <c>Index</c> to a field, or after a restore) and removes stale entries — those of dead versions, of
/// deleted records, and of lost races. Entries that may belong to a write in flight (newer than the record,
/// or of a record not yet visible) are only removed once older than the grace period.
/// Safe to run while the API serves traffic.
/// </summary>
public sealed class IndexRebuilder(RecordRepository records, TimeProvider time, TimeSpan grace, int parallelism = 16)
{
    /// <summary>Runs the rebuild, reporting progress.</summary>
    public async Task<IndexRebuildReport> RebuildAsync(IProgress<IndexRebuildProgress>? progress = null, CancellationToken ct = default)
    {
        var model = records.Model;
        var existing = new HashSet<string>(StringComparer.Ordinal);
        var entries = await ListAllAsync(records.Index.Root, ct);
        foreach (var e in entries) existing.Add(e.Key);

        var keys = (await ListAllAsync(records.Layout.RecordsPrefix, ct)).Where(e => records.Layout.IdOf(e.Key) is not null).ToList();
        var versions = new System.Collections.Concurrent.ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        long processed = 0, written = 0;
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, async (entry, token) =>
        {
            var id = records.Layout.IdOf(entry.Key)!;
            Record? record;
            try
            {
                record = Tombstones.StateOf(entry) == Tombstones.ListedState.Tombstone ? null : await records.GetListedAsync(id, entry.ETag, token);
            }
            catch (CorruptRecordException)
            {
                record = null;
            }
            if (record is not null)
            {
                versions[id] = record.Version;
                foreach (var key in model.IndexedFields.SelectMany(f => records.Index.EntryKeys(f, record.Peek(), id, record.Version)))
                {
                    if (existing.Contains(key)) continue;
                    await records.Store.PutAsync(key, System.Text.Encoding.UTF8.GetBytes($"{{\"v\":{record.Version}}}"), WriteCondition.None, token);
                    Interlocked.Increment(ref written);
                }
            }
            var done = Interlocked.Increment(ref processed);
            if (done % 100 == 0 || done == keys.Count) progress?.Report(new IndexRebuildProgress("records", done, keys.Count));
        });

        var indexed = model.IndexedFields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var cutoff = time.GetUtcNow() - grace;
        var stale = entries.Where(e => records.Index.Parse(e.Key) is { } p && IsStale(p, e, indexed, versions, cutoff)).ToList();
        long removed = 0;
        await Parallel.ForEachAsync(stale, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, async (e, token) =>
        {
            await records.Store.DeleteObservedAsync(e.Key, e.ETag, token);
            var done = Interlocked.Increment(ref removed);
            if (done % 100 == 0 || done == stale.Count) progress?.Report(new IndexRebuildProgress("entries", done, stale.Count));
        });
        return new IndexRebuildReport(keys.Count, written, removed);
    }

    private static bool IsStale(IndexEntry entry, ObjectEntry listed, HashSet<string> indexed, IDictionary<string, long> versions, DateTimeOffset cutoff)
    {
        if (!indexed.Contains(entry.Field)) return true; // the field is no longer indexed
        var old = listed.LastModified < cutoff;
        if (!versions.TryGetValue(entry.Id, out var current)) return old; // deleted, or a create still in flight
        if (entry.Version < current) return true;         // a dead version: nobody needs it
        return entry.Version > current && old;              // a lost race's leftovers (or a write in flight)
    }

    private async Task<List<ObjectEntry>> ListAllAsync(string prefix, CancellationToken ct)
    {
        var all = new List<ObjectEntry>();
        await foreach (var entry in records.Store.EnumerateAsync(prefix, null, ct)) all.Add(entry);
        return all;
    }
}
