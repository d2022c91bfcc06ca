using Microsoft.Data.Sqlite;

namespace LightS3.Storage.Embedded;

/// <summary>
/// The embedded store's on-disk layout: one SQLite database file in the data directory, in WAL mode, with one table
/// of objects keyed (and ordered) by object key. Keys compare as UTF-8 bytes (SQLite's BINARY collation), which is
/// the order S3 lists in.
/// </summary>
public static class EmbeddedSchema
{
    /// <summary>The database file name inside the data directory.</summary>
    public const string FileName = "lights3.db";

    /// <summary>How long a connection waits for another writer (in this or another process) before giving up.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(10);

    internal const string CreateTable = """
        CREATE TABLE IF NOT EXISTS objects (
            key      TEXT    NOT NULL PRIMARY KEY,
            etag     TEXT    NOT NULL,
            size     INTEGER NOT NULL,
            modified INTEGER NOT NULL,
            content  BLOB    NOT NULL
        ) WITHOUT ROWID
        """;

    /// <summary>The database path for a data directory.</summary>
    public static string DatabasePath(string dataDirectory) => Path.Combine(Path.GetFullPath(dataDirectory), FileName);

    /// <summary>Opens a connection with the store's per-connection settings (busy timeout, synchronous mode).</summary>
    internal static SqliteConnection Open(string databasePath)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        };
        var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        // WAL: readers never block the writer nor each other; NORMAL: a commit is durable once in the WAL file,
        // which survives a killed process (not necessarily a power cut before the next checkpoint's fsync).
        Execute(connection, $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL;");
        return connection;
    }

    /// <summary>Creates the database (WAL mode) and its table when missing.</summary>
    internal static void Initialize(string databasePath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
        using var connection = Open(databasePath);
        Execute(connection, "PRAGMA journal_mode = WAL;");
        Execute(connection, CreateTable);
    }

    internal static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
