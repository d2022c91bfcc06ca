using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace LightS3.Storage.Embedded;

/// <summary>
/// The single writer of one store: conditional writes queue here and one loop applies them, a batch of queued writes
/// per <c>BEGIN IMMEDIATE</c> transaction (group commit). Each write checks its precondition against the state left by
/// the writes before it in the batch, so the outcome is that of running them one by one; the batch commits once.
/// BEGIN IMMEDIATE takes SQLite's write lock up front, so a compare-and-swap is atomic against writers in other
/// processes too (they wait up to the busy timeout). Only this loop's thread ever blocks on SQLite for a write, so a
/// burst of concurrent writes queues asynchronously instead of occupying thread-pool threads.
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private const int MaxBatch = 256;
    private readonly Channel<Write> _queue = Channel.CreateUnbounded<Write>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _select;
    private readonly SqliteCommand _upsert;
    private readonly SqliteCommand _delete;
    private readonly Task _loop;

    public SqliteWriter(string databasePath)
    {
        _connection = EmbeddedSchema.Open(databasePath);
        _select = Prepare("SELECT etag FROM objects WHERE key = $key", "$key");
        // an upsert, not INSERT OR REPLACE: a replacement then fires the UPDATE trigger that keeps the counters exact
        _upsert = Prepare("""
            INSERT INTO objects (key, etag, size, modified, content) VALUES ($key, $etag, $size, $modified, $content)
            ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, size = excluded.size, modified = excluded.modified, content = excluded.content
            """, "$key", "$etag", "$size", "$modified", "$content");
        _delete = Prepare("DELETE FROM objects WHERE key = $key", "$key");
        _loop = Task.Run(RunAsync);
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters) command.Parameters.Add(new SqliteParameter { ParameterName = name });
        return command;
    }

    /// <summary>Queues a write and completes with its outcome once its transaction has committed.</summary>
    public Task<T> EnqueueAsync<T>(Write<T> write)
    {
        if (!_queue.Writer.TryWrite(write)) throw new ObjectDisposedException(nameof(SqliteWriter));
        return write.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<Write>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write))
            {
                if (write.IsCancelled) write.Cancel();
                else batch.Add(write);
            }
            if (batch.Count > 0) Execute(batch);
        }
    }

    /// <summary>Applies a batch in one transaction; if the transaction itself fails, retries each write alone.</summary>
    private void Execute(List<Write> batch)
    {
        try
        {
            EmbeddedSchema.Execute(_connection, "BEGIN IMMEDIATE");
            try
            {
                foreach (var write in batch) write.Apply(this);
                EmbeddedSchema.Execute(_connection, "COMMIT");
            }
            catch
            {
                if (!_connection.AutoCommitMode()) EmbeddedSchema.Execute(_connection, "ROLLBACK");
                throw;
            }
            foreach (var write in batch) write.Publish();
        }
        catch (Exception e) when (batch.Count > 1 && e is SqliteException)
        {
            foreach (var write in batch) Execute([write]);
        }
        catch (Exception e)
        {
            foreach (var write in batch)
                write.Fail(e is SqliteException sqlite ? new StorageUnavailableException($"embedded store write failed: {sqlite.Message}", sqlite) : e);
        }
    }

    /// <summary>The current ETag of <paramref name="key"/>, inside the open transaction.</summary>
    internal string? CurrentETag(string key)
    {
        _select.Parameters[0].Value = key;
        return _select.ExecuteScalar() as string;
    }

    internal void Upsert(string key, string etag, ReadOnlyMemory<byte> content)
    {
        _upsert.Parameters[0].Value = key;
        _upsert.Parameters[1].Value = etag;
        _upsert.Parameters[2].Value = content.Length;
        _upsert.Parameters[3].Value = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        _upsert.Parameters[4].Value = content.ToArray();
        _upsert.ExecuteNonQuery();
    }

    internal void Delete(string key)
    {
        _delete.Parameters[0].Value = key;
        _delete.ExecuteNonQuery();
    }

    /// <summary>
    /// Creates the maintained counter of <paramref name="prefix"/> (keys not of ETag <paramref name="exceptETag"/>, "" for
    /// none) from a COUNT inside the open write transaction, so no write of any process slips between the count and the
    /// triggers that maintain it; returns its value.
    /// </summary>
    internal long CreateCounter(string prefix, string exceptETag, KeyRange range)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = """
            INSERT OR IGNORE INTO counters (prefix, except_etag, objects)
            SELECT $prefix, $except, COUNT(*) FROM objects WHERE key >= $lower AND key < CAST($upper AS TEXT) AND etag != $except;
            SELECT objects FROM counters WHERE prefix = $prefix AND except_etag = $except;
            """;
        command.Parameters.AddWithValue("$prefix", prefix);
        command.Parameters.AddWithValue("$except", exceptETag);
        command.Parameters.AddWithValue("$lower", range.Lower);
        command.Parameters.AddWithValue("$upper", range.Upper);
        return (long)command.ExecuteScalar()!;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        _select.Dispose();
        _upsert.Dispose();
        _delete.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>A queued write: applied inside the writer's transaction, published after the commit.</summary>
    internal abstract class Write
    {
        public abstract bool IsCancelled { get; }
        public abstract void Apply(SqliteWriter writer);
        public abstract void Publish();
        public abstract void Fail(Exception error);
        public abstract void Cancel();
    }

    /// <summary>A queued write with a result of type <typeparamref name="T"/>.</summary>
    internal sealed class Write<T>(Func<SqliteWriter, T> apply, CancellationToken cancellationToken) : Write
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _refused;

        public Task<T> Task => _completion.Task;
        public override bool IsCancelled => cancellationToken.IsCancellationRequested;

        public override void Apply(SqliteWriter writer)
        {
            _refused = null;
            try
            {
                _result = apply(writer);
            }
            catch (PreconditionFailedException e)
            {
                _refused = e; // a refused write changes nothing; the rest of the batch still commits
            }
        }

        public override void Publish()
        {
            if (_refused is not null) _completion.TrySetException(_refused);
            else _completion.TrySetResult(_result!);
        }

        public override void Fail(Exception error) => _completion.TrySetException(error);
        public override void Cancel() => _completion.TrySetCanceled(cancellationToken);
    }
}

internal static class SqliteConnectionState
{
    /// <summary>Whether no transaction is open on the connection.</summary>
    public static bool AutoCommitMode(this SqliteConnection connection) =>
        SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) != 0;
}
