using LightS3.Documents;
using LightS3.Storage;

namespace LightS3.Hosting;

/// <summary>What one collection pass removed or repaired.</summary>
/// <param name="Tombstones">Tombstones of deleted records removed.</param>
/// <param name="MarkersFreed">Orphaned unique markers moved to the free state.</param>
/// <param name="MarkersDeleted">Free unique markers removed.</param>
/// <param name="TemporaryFiles">Leftover temporary files of crashed writes removed (embedded file store).</param>
/// <param name="Blobs">File bytes removed: of deleted records, replaced or deleted files, expired uploads (LightS3.Files).</param>
public sealed record CollectionReport(long Tombstones, long MarkersFreed, long MarkersDeleted, long TemporaryFiles, long Blobs = 0)
{
    /// <summary>Nothing done.</summary>
    public static readonly CollectionReport Empty = new(0, 0, 0, 0);

    /// <summary>The sum of two reports.</summary>
    public static CollectionReport operator +(CollectionReport a, CollectionReport b) =>
        new(a.Tombstones + b.Tombstones, a.MarkersFreed + b.MarkersFreed, a.MarkersDeleted + b.MarkersDeleted, a.TemporaryFiles + b.TemporaryFiles, a.Blobs + b.Blobs);

    /// <summary>Whether anything was done.</summary>
    public bool Any => this != Empty;
}

/// <summary>
/// Physical removal of what the compare-and-swap protocol leaves behind, safe with any number of instances running
/// it at once and with live traffic (see docs/locking.md):
/// <list type="bullet">
/// <item>tombstones older than the grace period: no request writes a deleted record's key again (ids are never
///   reused and every update is conditional on a live ETag), so deleting it cannot drop or resurrect a record;</item>
/// <item>unique markers: orphans (older than the claim grace, owner record not holding the value) are freed, and
///   markers free for longer than the grace period are moved to "reaping" and deleted;</item>
/// <item>on the embedded file store, temporary files of writes that crashed before their rename;</item>
/// <item>file bytes no record needs any more (<see cref="Files.FileCollector"/>).</item>
/// </list>
/// </summary>
internal sealed class StorageCollector(IObjectStore store, TimeProvider time, TimeSpan grace)
{
    /// <summary>Collects one collection's tombstones and unique markers.</summary>
    public async Task<CollectionReport> CollectAsync(RecordRepository records, CancellationToken ct = default)
    {
        var cutoff = time.GetUtcNow() - grace;
        long tombstones = 0, freed = 0, deleted = 0;
        await foreach (var entry in store.EnumerateAsync(records.Layout.RecordsPrefix, null, ct))
        {
            var state = Tombstones.StateOf(entry);
            if (state == Tombstones.ListedState.Live || entry.LastModified > cutoff) continue;
            if (state == Tombstones.ListedState.Unknown && !(await store.GetAsync(entry.Key, ct) is { } s && Tombstones.Is(s.Content.Span))) continue;
            await store.DeleteObservedAsync(entry.Key, entry.ETag, ct);
            records.Cache.Remove(entry.Key);
            tombstones++;
        }
        if (records.Model.UniqueFields.Any())
        {
            await foreach (var entry in store.EnumerateAsync(records.Layout.UniquePrefix, null, ct))
            {
                try
                {
                    switch (await records.Unique.CollectAsync(entry.Key, grace, ct))
                    {
                        case MarkerCollection.Freed: freed++; break;
                        case MarkerCollection.Deleted: deleted++; break;
                    }
                }
                catch (PreconditionFailedException)
                {
                    // claimed or changed meanwhile: in use, leave it
                }
            }
        }
        // a deleted record's files follow its tombstone: kept while it is younger than the grace period, then removed
        var blobs = await new Files.FileCollector(store, time, grace).CollectAsync(records, ct);
        return new CollectionReport(tombstones, freed, deleted, 0, blobs);
    }

    /// <summary>A temporary file younger than this may belong to a write in flight, whatever the grace period says.</summary>
    public static readonly TimeSpan TemporaryFileFloor = TimeSpan.FromMinutes(1);

    /// <summary>Removes the embedded file store's temporary files older than the grace period (other stores have none).</summary>
    public CollectionReport CollectTemporaryFiles() =>
        store.Find<FileObjectStore>() is { } files
            ? CollectionReport.Empty with { TemporaryFiles = files.RemoveTemporaryFiles(time.GetUtcNow() - (grace > TemporaryFileFloor ? grace : TemporaryFileFloor)) }
            : CollectionReport.Empty;
}
