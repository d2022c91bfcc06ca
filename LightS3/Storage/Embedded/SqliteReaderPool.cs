using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace LightS3.Storage.Embedded;

/// <summary>
/// A fixed number of read connections. Microsoft.Data.Sqlite's async methods run synchronously, so a read holds its
/// thread for the (sub-millisecond) statement; callers beyond the pool size wait asynchronously for a connection
/// instead of occupying thread-pool threads, so however many requests arrive at most <c>size</c> threads are inside
/// SQLite reading. In WAL mode readers are never blocked by the writer.
/// </summary>
internal sealed class SqliteReaderPool(string databasePath, int size) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(size, size);
    private readonly ConcurrentBag<SqliteReader> _idle = [];
    private volatile bool _disposed;

    /// <summary>Runs <paramref name="read"/> on a pooled connection once one is free.</summary>
    public async Task<T> RunAsync<T>(Func<SqliteReader, T> read, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        SqliteReader? reader = null;
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_idle.TryTake(out reader)) reader = new SqliteReader(databasePath);
            var result = read(reader);
            if (_disposed) reader.Dispose();
            else _idle.Add(reader);
            reader = null;
            return result;
        }
        catch (SqliteException e)
        {
            throw new StorageUnavailableException($"embedded store read failed: {e.Message}", e);
        }
        finally
        {
            reader?.Dispose(); // a connection that failed mid-statement is not reused
            _slots.Release();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var reader)) reader.Dispose();
    }
}
