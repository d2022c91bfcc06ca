using System.Text;
using LightningDB;
using LightS3.Storage;

namespace LightS3.Bench.Engines;

/// <summary>
/// A benchmark-only prototype of the embedded store on LMDB (LightningDB): one B+tree of key → ETag + bytes, a
/// write transaction per write (LMDB has one writer at a time), read-only transactions for reads and listings.
/// Durability matched to the SQLite store's WAL + synchronous=NORMAL: no fsync per commit (NoSync), so a process crash
/// loses nothing and an OS crash may lose the last commits. Not a product store: it exists to compare engines.
/// </summary>
internal sealed class LmdbObjectStore : IObjectStore, IDisposable
{
    private readonly LightningEnvironment _env;
    private readonly LightningDatabase _db;
    private readonly Lock _writer = new();

    public LmdbObjectStore(string directory)
    {
        _env = new LightningEnvironment(directory, new EnvironmentConfiguration { MapSize = 16L << 30, MaxReaders = 1024 });
        _env.Open(EnvironmentOpenFlags.NoThreadLocalStorage | EnvironmentOpenFlags.NoSync);
        using var tx = _env.BeginTransaction();
        _db = tx.OpenDatabase(new DatabaseConfiguration { Flags = DatabaseOpenFlags.Create }, closeOnDispose: false);
        tx.Commit();
    }

    public string Kind => "lmdb";
    public bool AtomicConditionalDelete => true;

    public Task<StoredObject?> GetAsync(string key, CancellationToken ct = default)
    {
        using var tx = _env.BeginTransaction(TransactionBeginFlags.ReadOnly);
        var (rc, _, value) = tx.Get(_db, Encoding.UTF8.GetBytes(key));
        return Task.FromResult(rc == MDBResultCode.Success ? KeyValueEntry.Decode(key, value.AsSpan()) : null);
    }

    public Task<string> PutAsync(string key, ReadOnlyMemory<byte> content, WriteCondition condition, CancellationToken ct = default)
    {
        var k = Encoding.UTF8.GetBytes(key);
        var etag = KeyValueEntry.NewETag();
        lock (_writer)
        {
            using var tx = _env.BeginTransaction();
            var (rc, _, value) = tx.Get(_db, k);
            KeyValueEntry.Check(key, condition, rc == MDBResultCode.Success ? value.CopyToNewArray() : null);
            tx.Put(_db, k, KeyValueEntry.Encode(etag, content.Span));
            tx.Commit();
        }
        return Task.FromResult(etag);
    }

    public Task<bool> DeleteAsync(string key, string? ifMatch = null, CancellationToken ct = default)
    {
        var k = Encoding.UTF8.GetBytes(key);
        lock (_writer)
        {
            using var tx = _env.BeginTransaction();
            var (rc, _, value) = tx.Get(_db, k);
            if (rc != MDBResultCode.Success) return Task.FromResult(false);
            if (ifMatch is not null && ifMatch != "*" && KeyValueEntry.ETagOf(value.AsSpan()) != ifMatch.Trim('"')) throw new PreconditionFailedException(key);
            tx.Delete(_db, k);
            tx.Commit();
            return Task.FromResult(true);
        }
    }

    public Task<bool> DeleteObservedAsync(string key, string observedETag, CancellationToken ct = default) => DeleteAsync(key, observedETag, ct);

    public Task<ObjectListing> ListAsync(string prefix, string? startAfter, int maxKeys, CancellationToken ct = default)
    {
        var entries = new List<ObjectEntry>();
        var truncated = false;
        using var tx = _env.BeginTransaction(TransactionBeginFlags.ReadOnly);
        using var cursor = tx.CreateCursor(_db);
        var rc = cursor.SetRange(KeyValueEntry.SeekKey(prefix, startAfter));
        while (rc == MDBResultCode.Success)
        {
            var (_, key, value) = cursor.GetCurrent();
            var name = Encoding.UTF8.GetString(key.AsSpan());
            if (!name.StartsWith(prefix, StringComparison.Ordinal)) break;
            if (entries.Count == maxKeys)
            {
                truncated = true;
                break;
            }
            entries.Add(KeyValueEntry.Entry(name, value.AsSpan()));
            (rc, _, _) = cursor.Next();
        }
        return Task.FromResult(new ObjectListing(entries, truncated));
    }

    public void Dispose()
    {
        _db.Dispose();
        _env.Dispose();
    }
}
