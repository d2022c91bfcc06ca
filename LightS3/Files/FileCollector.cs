using LightS3.Documents;
using LightS3.Storage;

namespace LightS3.Files;

/// <summary>
/// Removes file bytes nothing needs any more, on any store and safe with several instances collecting at once: each
/// blob under <c>{collection}/files/</c> is judged against its record, read after the listing, so an upload, confirm or
/// delete that committed before the blob was listed is always seen. Deleted are:
/// <list type="bullet">
/// <item>blobs of a record deleted longer than the grace period ago (or gone);</item>
/// <item>blobs released by a replacement or a field delete longer than the grace period ago (download URLs handed out
///   before stay usable meanwhile);</item>
/// <item>unconfirmed uploads whose upload URL expired longer than the grace period ago;</item>
/// <item>blobs the record does not reference at all (a superseded upload, a lost confirm race) once older than the grace period.</item>
/// </list>
/// </summary>
internal sealed class FileCollector(IObjectStore store, TimeProvider time, TimeSpan grace)
{
    /// <summary>Collects one collection's blobs; returns how many were deleted.</summary>
    public async Task<long> CollectAsync(RecordRepository records, CancellationToken ct)
    {
        var fields = records.Model.FileFields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        if (fields.Count == 0) return 0;
        var prefix = BlobKeys.Prefix(records.Model.Collection);
        var now = time.GetUtcNow();
        var cutoff = now - grace;
        long deleted = 0;
        (string Id, Record? Live, bool Gone)? owner = null;
        await foreach (var entry in store.EnumerateAsync(prefix, null, ct))
        {
            if (BlobKeys.ParseIn(prefix, entry.Key) is not { } blob) continue;
            if (owner?.Id != blob.Id) owner = await OwnerAsync(records, blob.Id, cutoff, ct);
            var (_, live, gone) = owner.Value;
            var keep = live is not null
                ? (fields.Contains(blob.Field) && FileValue.Of(live.Data[blob.Field]).Keeps(blob.Token, now, grace)) || entry.LastModified > cutoff
                : !gone;
            if (keep) continue;
            await store.DeleteObservedAsync(entry.Key, entry.ETag, ct);
            deleted++;
        }
        FileMetrics.CountCollected(deleted);
        return deleted;
    }

    private async Task<(string, Record?, bool)> OwnerAsync(RecordRepository records, string id, DateTimeOffset cutoff, CancellationToken ct)
    {
        if (await records.GetAsync(id, ct) is { } live) return (id, live, false);
        // deleted: a tombstone younger than the grace period keeps the files for now (download URLs handed out still work)
        var key = records.Layout.RecordKey(id);
        var listed = (await store.ListAsync(key, null, 1, ct)).Entries.FirstOrDefault(e => e.Key == key);
        return (id, null, listed is null || listed.LastModified <= cutoff);
    }
}
