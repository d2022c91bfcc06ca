using System.Text;
using LightS3.Storage;
using RocksDbSharp;

namespace LightS3.Bench.Engines;

/// <summary>
/// A benchmark-only prototype of the embedded store on RocksDB: key → ETag + bytes in the default column family,
/// conditional writes as a read and a write under one process-wide lock (RocksDB's plain API has no compare-and-swap),
/// listings with an iterator. Durability matched to the SQLite store: the write-ahead log without an fsync per write.
/// Not a product store: it exists to compare engines.
/// </summary>
internal sealed class RocksDbObjectStore : IObjectStore, IDisposable
{
    private readonly RocksDb _db;
    private readonly WriteOptions _write = new WriteOptions().SetSync(false);
    private readonly Lock _writer = new();

    public RocksDbObjectStore(string directory) => _db = RocksDb.Open(new DbOptions().SetCreateIfMissing(true), directory);

    public string Kind => "rocksdb";
    public bool AtomicConditionalDelete => true;

    public Task<StoredObject?> GetAsync(string key, CancellationToken ct = default) =>
        Task.FromResult(_db.Get(Encoding.UTF8.GetBytes(key)) is { } value ? KeyValueEntry.Decode(key, value) : null);

    public Task<string> PutAsync(string key, ReadOnlyMemory<byte> content, WriteCondition condition, CancellationToken ct = default)
    {
        var k = Encoding.UTF8.GetBytes(key);
        var etag = KeyValueEntry.NewETag();
        lock (_writer)
        {
            if (condition.Kind != WriteConditionKind.None) KeyValueEntry.Check(key, condition, _db.Get(k));
            _db.Put(k, KeyValueEntry.Encode(etag, content.Span), writeOptions: _write);
        }
        return Task.FromResult(etag);
    }

    public Task<bool> DeleteAsync(string key, string? ifMatch = null, CancellationToken ct = default)
    {
        var k = Encoding.UTF8.GetBytes(key);
        lock (_writer)
        {
            if (_db.Get(k) is not { } current) return Task.FromResult(false);
            if (ifMatch is not null && ifMatch != "*" && KeyValueEntry.ETagOf(current) != ifMatch.Trim('"')) throw new PreconditionFailedException(key);
            _db.Remove(k, writeOptions: _write);
            return Task.FromResult(true);
        }
    }

    public Task<bool> DeleteObservedAsync(string key, string observedETag, CancellationToken ct = default) => DeleteAsync(key, observedETag, ct);

    public Task<ObjectListing> ListAsync(string prefix, string? startAfter, int maxKeys, CancellationToken ct = default)
    {
        var entries = new List<ObjectEntry>();
        var truncated = false;
        using var iterator = _db.NewIterator();
        for (iterator.Seek(KeyValueEntry.SeekKey(prefix, startAfter)); iterator.Valid(); iterator.Next())
        {
            var name = Encoding.UTF8.GetString(iterator.Key());
            if (!name.StartsWith(prefix, StringComparison.Ordinal)) break;
            if (entries.Count == maxKeys)
            {
                truncated = true;
                break;
            }
            entries.Add(KeyValueEntry.Entry(name, iterator.Value()));
        }
        return Task.FromResult(new ObjectListing(entries, truncated));
    }

    public void Dispose() => _db.Dispose();
}
