using Microsoft.Data.Sqlite;

namespace LightS3.Storage.Embedded;

/// <summary>One read connection with its prepared statements (parsed once, re-bound per call).</summary>
internal sealed class SqliteReader : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _get;
    private readonly SqliteCommand _listFrom;
    private readonly SqliteCommand _listAfter;
    private readonly SqliteCommand _listBefore;

    public SqliteReader(string databasePath)
    {
        _connection = EmbeddedSchema.Open(databasePath);
        _get = Prepare("SELECT etag, content FROM objects WHERE key = $key", "$key");
        _listFrom = Prepare(ListFromSql, "$lower", "$upper", "$limit");
        _listAfter = Prepare(ListAfterSql, "$lower", "$upper", "$limit");
        _listBefore = Prepare(ListBeforeSql, "$lower", "$upper", "$limit");
    }

    /// <summary>A listing page from an inclusive lower bound: a range scan of the primary key, never a table scan.</summary>
    internal const string ListFromSql = "SELECT key, etag, size, modified FROM objects WHERE key >= $lower AND key < CAST($upper AS TEXT) ORDER BY key LIMIT $limit";

    /// <summary>A listing page from an exclusive lower bound (StartAfter).</summary>
    internal const string ListAfterSql = "SELECT key, etag, size, modified FROM objects WHERE key > $lower AND key < CAST($upper AS TEXT) ORDER BY key LIMIT $limit";

    /// <summary>A listing page backwards from an exclusive upper bound: a descending range scan of the primary key.</summary>
    internal const string ListBeforeSql = "SELECT key, etag, size, modified FROM objects WHERE key >= $lower AND key < CAST($upper AS TEXT) ORDER BY key DESC LIMIT $limit";

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters) command.Parameters.Add(new SqliteParameter { ParameterName = name });
        return command;
    }

    /// <summary>The object at <paramref name="key"/>, or null.</summary>
    public StoredObject? Get(string key)
    {
        _get.Parameters[0].Value = key;
        using var reader = _get.ExecuteReader();
        return reader.Read() ? new StoredObject(key, reader.GetFieldValue<byte[]>(1), reader.GetString(0)) : null;
    }

    /// <summary>Up to <paramref name="limit"/> entries of <paramref name="range"/>, in key order.</summary>
    public List<ObjectEntry> List(KeyRange range, int limit) =>
        Read(range.LowerInclusive ? _listFrom : _listAfter, range.Lower, range.Upper, limit);

    /// <summary>Up to <paramref name="limit"/> keys from <paramref name="lower"/> (inclusive) below <paramref name="upper"/> (UTF-8 bytes), descending.</summary>
    public List<ObjectEntry> ListBefore(string lower, byte[] upper, int limit) => Read(_listBefore, lower, upper, limit);

    private static List<ObjectEntry> Read(SqliteCommand command, string lower, byte[] upper, int limit)
    {
        command.Parameters[0].Value = lower;
        command.Parameters[1].Value = upper;
        command.Parameters[2].Value = limit;
        var entries = new List<ObjectEntry>(Math.Min(limit, 1001));
        using var reader = command.ExecuteReader();
        while (reader.Read())
            entries.Add(new ObjectEntry(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
        return entries;
    }

    /// <summary>
    /// The keys of <paramref name="range"/> before <paramref name="endBefore"/> whose ETag is not <paramref name="exceptETag"/>:
    /// a COUNT over a range of the key index, O(log N + keys counted) without reading the objects' bytes into .NET.
    /// </summary>
    public long Count(KeyRange range, string? endBefore, string? exceptETag)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM objects WHERE key " + (range.LowerInclusive ? ">=" : ">") + " $lower AND key < CAST($upper AS TEXT)"
            + (endBefore is null ? "" : " AND key < $end") + (exceptETag is null ? "" : " AND etag != $except");
        command.Parameters.AddWithValue("$lower", range.Lower);
        command.Parameters.AddWithValue("$upper", range.Upper);
        if (endBefore is not null) command.Parameters.AddWithValue("$end", endBefore);
        if (exceptETag is not null) command.Parameters.AddWithValue("$except", exceptETag);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>The maintained counter of <paramref name="prefix"/>, or null when it has none.</summary>
    public long? Counter(string prefix, string exceptETag)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT objects FROM counters WHERE prefix = $prefix AND except_etag = $except";
        command.Parameters.AddWithValue("$prefix", prefix);
        command.Parameters.AddWithValue("$except", exceptETag);
        return command.ExecuteScalar() as long?;
    }

    /// <summary>How many prefixes have a maintained counter.</summary>
    public long CounterCount()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM counters";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Runs <c>PRAGMA integrity_check</c> and returns its rows ("ok" when the database is sound).</summary>
    public List<string> IntegrityCheck()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add(reader.GetString(0));
        return rows;
    }

    public void Dispose()
    {
        _get.Dispose();
        _listFrom.Dispose();
        _listAfter.Dispose();
        _listBefore.Dispose();
        _connection.Dispose();
    }
}
