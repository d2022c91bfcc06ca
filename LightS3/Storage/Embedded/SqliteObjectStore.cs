namespace LightS3.Storage.Embedded;

/// <summary>
/// The embedded store on SQLite (the default without S3): one database file, <c>lights3.db</c>, in the data directory,
/// in WAL mode, with one table of objects ordered by key. A GET is a primary-key lookup and a listing page a range
/// scan of the key index, so both cost O(log N + page) however many records the store holds.
/// ETags are the hex MD5 of the bytes, as S3 reports for a single-part upload, so tombstones are recognised from a
/// listing alone. Conditional writes run in <c>BEGIN IMMEDIATE</c> transactions, atomic across every process that
/// opens the same directory. Reads go through a small pool of connections and writes through one group-committing
/// writer, so concurrent requests never park more than a few thread-pool threads in SQLite.
/// A count is an indexed COUNT over the key range; a whole prefix found to hold more than
/// <see cref="DefaultCountedPrefixThreshold"/> keys (a large collection's records, a frequent index value) gets a counter
/// maintained by triggers, so counting it again is one primary-key lookup.
/// </summary>
public sealed class SqliteObjectStore : ICountingObjectStore, IReverseListingObjectStore, IAsyncDisposable, IDisposable
{
    /// <summary>By default, a whole-prefix count above this many keys makes the store maintain a counter for that prefix.</summary>
    public const long DefaultCountedPrefixThreshold = 1_000;

    /// <summary>
    /// The most prefixes with a maintained counter. A write updates the counted prefixes of its key through a
    /// primary-key range (those of its collection sorting before it), so the cost of a write grows with the counters of
    /// its own collection, not with the store.
    /// </summary>
    public const long MaxCountedPrefixes = 256;

    private readonly RequestCounter _counter;
    private readonly SqliteReaderPool _readers;
    private readonly SqliteWriter _writer;

    /// <summary>Opens (creating if needed) the store's database in <paramref name="dataDirectory"/>.</summary>
    /// <param name="dataDirectory">The data directory; the database is <c>lights3.db</c> inside it.</param>
    /// <param name="counter">Counts the store's requests.</param>
    /// <param name="readConnections">How many read connections (and threads reading at once) at most; default 4.</param>
    /// <param name="countedPrefixThreshold">A count of a whole prefix finding more keys than this creates a maintained counter for it.</param>
    public SqliteObjectStore(string dataDirectory, RequestCounter counter, int readConnections = 4, long countedPrefixThreshold = DefaultCountedPrefixThreshold)
    {
        CountedPrefixThreshold = countedPrefixThreshold;
        ArgumentOutOfRangeException.ThrowIfLessThan(readConnections, 1);
        DataDirectory = Path.GetFullPath(dataDirectory);
        DatabasePath = EmbeddedSchema.DatabasePath(DataDirectory);
        try
        {
            EmbeddedSchema.Initialize(DatabasePath);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException($"cannot open the embedded store at {DatabasePath}: {e.Message}", e);
        }
        _counter = counter;
        _readers = new SqliteReaderPool(DatabasePath, readConnections);
        _writer = new SqliteWriter(DatabasePath);
    }

    /// <summary>A count of a whole prefix finding more keys than this creates a maintained counter for the prefix.</summary>
    public long CountedPrefixThreshold { get; }

    /// <summary>The absolute data directory.</summary>
    public string DataDirectory { get; }

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc />
    public string Kind => "sqlite";

    /// <inheritdoc />
    public bool AtomicConditionalDelete => true;

    /// <inheritdoc />
    public Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        _counter.Count(StoreOperation.Get);
        return _readers.RunAsync(r => r.Get(key), cancellationToken);
    }

    /// <inheritdoc />
    public Task<string> PutAsync(string key, ReadOnlyMemory<byte> content, WriteCondition condition, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        _counter.Count(StoreOperation.Put);
        var etag = ETags.Compute(content.Span);
        return _writer.EnqueueAsync(new SqliteWriter.Write<string>(w =>
        {
            if (!InMemoryObjectStore.ConditionHolds(condition, w.CurrentETag(key))) throw new PreconditionFailedException(key);
            w.Upsert(key, etag, content);
            return etag;
        }, cancellationToken));
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string key, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        _counter.Count(StoreOperation.Delete);
        var expected = ifMatch is null or "*" ? null : ETags.Normalize(ifMatch);
        return _writer.EnqueueAsync(new SqliteWriter.Write<bool>(w =>
        {
            var current = w.CurrentETag(key);
            if (current is null) return false;
            if (expected is not null && expected != current) throw new PreconditionFailedException(key);
            w.Delete(key);
            return true;
        }, cancellationToken));
    }

    /// <inheritdoc />
    public Task<bool> DeleteObservedAsync(string key, string observedETag, CancellationToken cancellationToken = default) =>
        DeleteAsync(key, observedETag, cancellationToken);

    /// <inheritdoc />
    public async Task<ObjectListing> ListAsync(string prefix, string? startAfter, int maxKeys, CancellationToken cancellationToken = default)
    {
        _counter.Count(StoreOperation.List);
        maxKeys = Math.Clamp(maxKeys, 1, 1000);
        var range = KeyRange.Of(prefix, startAfter);
        var entries = await _readers.RunAsync(r => r.List(range, maxKeys + 1), cancellationToken).ConfigureAwait(false);
        var truncated = entries.Count > maxKeys;
        if (truncated) entries.RemoveAt(maxKeys);
        return new ObjectListing(entries, truncated);
    }

    /// <inheritdoc />
    public async Task<ObjectListing> ListBeforeAsync(string prefix, string? endBefore, int maxKeys, CancellationToken cancellationToken = default)
    {
        _counter.Count(StoreOperation.List);
        maxKeys = Math.Clamp(maxKeys, 1, 1000);
        // one upper bound, the lower of the prefix's end and endBefore (as UTF-8 bytes): a single descending range search
        var upper = KeyRange.Of(prefix, null).Upper;
        if (endBefore is not null && System.Text.Encoding.UTF8.GetBytes(endBefore) is var end && end.AsSpan().SequenceCompareTo(upper) < 0) upper = end;
        var entries = await _readers.RunAsync(r => r.ListBefore(prefix, upper, maxKeys + 1), cancellationToken).ConfigureAwait(false);
        var truncated = entries.Count > maxKeys;
        if (truncated) entries.RemoveAt(maxKeys);
        return new ObjectListing(entries, truncated);
    }

    /// <inheritdoc />
    public async Task<long> CountAsync(string prefix, string? startAfter, string? endBefore, string? exceptETag, CancellationToken cancellationToken = default)
    {
        _counter.Count(StoreOperation.List);
        var range = KeyRange.Of(prefix, startAfter);
        var wholePrefix = startAfter is null && endBefore is null;
        if (wholePrefix && await _readers.RunAsync(r => r.Counter(prefix, exceptETag ?? ""), cancellationToken).ConfigureAwait(false) is { } maintained)
            return maintained;
        var (count, counters) = await _readers.RunAsync(r => (r.Count(range, endBefore, exceptETag), wholePrefix ? r.CounterCount() : 0), cancellationToken)
            .ConfigureAwait(false);
        // only prefixes ending with '/' (a collection's records, an index value): the triggers rely on it (EmbeddedSchema)
        if (!wholePrefix || !prefix.EndsWith('/') || count <= CountedPrefixThreshold || counters >= MaxCountedPrefixes) return count;
        return await _writer.EnqueueAsync(new SqliteWriter.Write<long>(w => w.CreateCounter(prefix, exceptETag ?? "", range), cancellationToken))
            .ConfigureAwait(false);
    }

    /// <summary>Runs SQLite's <c>PRAGMA integrity_check</c>; returns "ok" when the database is sound, else the problems found.</summary>
    public async Task<string> CheckIntegrityAsync(CancellationToken cancellationToken = default)
    {
        var rows = await _readers.RunAsync(r => r.IntegrityCheck(), cancellationToken).ConfigureAwait(false);
        return string.Join("\n", rows);
    }

    /// <summary>Finishes the queued writes and closes the database.</summary>
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        _readers.Dispose();
    }

    /// <summary>Finishes the queued writes and closes the database.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
