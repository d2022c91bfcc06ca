using System.Text.Json.Nodes;

namespace LightS3.Documents;

public sealed partial class RecordRepository
{
    /// <summary>
    /// Upgrades records on read to the collection's latest declared migration (docs/migrations.md); null when the
    /// collection has no migrations. New records are stamped with its <see cref="IRecordUpgrader.Latest"/>.
    /// </summary>
    public IRecordUpgrader? Upgrader { get; set; }

    /// <summary>
    /// The record exactly as stored — not upgraded, hidden or not; null when it does not exist or is a tombstone.
    /// For migration runners, which must see (and compare-and-swap) the stored shape.
    /// </summary>
    public async Task<Record?> ReadStoredAsync(string id, CancellationToken ct = default)
    {
        var key = Layout.RecordKey(id);
        var stored = await _store.GetAsync(key, ct);
        if (stored is null || Tombstones.Is(stored.Content.Span)) return null;
        RecordCodec.EnsureObject(key, stored.Content.Span);
        return new Record(key, stored.Content, stored.ETag);
    }

    /// <summary>
    /// Replaces the stored record <paramref name="stored"/> (from <see cref="ReadStoredAsync"/>) with the whole
    /// <paramref name="document"/> a migration made of it, by compare-and-swap on its ETag, through the update path:
    /// unique values are claimed and released, index entries moved, version and <c>updated_at</c> move. Properties the
    /// document no longer has are gone (a rename or removal), unlike an API write, which keeps undeclared ones.
    /// Throws <see cref="VersionConflictException"/> when the record changed since it was read.
    /// </summary>
    public Task<Record> RewriteAsync(Record stored, JsonObject document, CancellationToken ct = default) =>
        ReplaceAsync(stored, document, WriteIntent.Update, ct, writeFiles: true, wholeDocument: true);

    /// <summary><paramref name="bytes"/> brought to the latest schema when they are older; null when already current.</summary>
    private JsonObject? Upgraded(string key, ReadOnlyMemory<byte> bytes)
    {
        if (Upgrader is not { Latest: { } latest } upgrader || SchemaStamp.Read(bytes.Span) == latest) return null;
        var data = RecordCodec.Decode(key, bytes);
        return upgrader.Upgrade(data) ? data : null;
    }
}
