using Microsoft.Data.Sqlite;

namespace LightS3.Storage.Embedded;

/// <summary>
/// The embedded store's on-disk layout: one SQLite database file in the data directory, in WAL mode, with one table
/// of objects keyed (and ordered) by object key. Keys compare as UTF-8 bytes (SQLite's BINARY collation), which is
/// the order S3 lists in.
/// </summary>
internal static class EmbeddedSchema
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

    /// <summary>
    /// Maintained counts of the keys under a prefix (optionally not counting one ETag, the tombstone's), kept exact by
    /// triggers in the same transaction as every write, so in every process that opens the database. A prefix gets one
    /// when a count of it found more than <see cref="SqliteObjectStore.CountedPrefixThreshold"/> keys
    /// (at most <see cref="SqliteObjectStore.MaxCountedPrefixes"/> prefixes). Counted prefixes end with '/', so every
    /// counted prefix of a key lies between the key's first segment (up to its first '/') and the key itself: the
    /// triggers update through that primary-key range instead of testing every counter (version 2 of the triggers;
    /// the first version's are dropped).
    /// </summary>
    internal const string CreateCounters = """
        CREATE TABLE IF NOT EXISTS counters (
            prefix      TEXT    NOT NULL,
            except_etag TEXT    NOT NULL,
            objects     INTEGER NOT NULL,
            PRIMARY KEY (prefix, except_etag)
        ) WITHOUT ROWID;
        DROP TRIGGER IF EXISTS counters_insert;
        DROP TRIGGER IF EXISTS counters_delete;
        DROP TRIGGER IF EXISTS counters_update;
        CREATE TRIGGER IF NOT EXISTS counters_insert_v2 AFTER INSERT ON objects BEGIN
            UPDATE counters SET objects = objects + 1
            WHERE prefix >= substr(NEW.key, 1, instr(NEW.key, '/')) AND prefix <= NEW.key
              AND NEW.etag != except_etag AND substr(NEW.key, 1, length(prefix)) = prefix;
        END;
        CREATE TRIGGER IF NOT EXISTS counters_delete_v2 AFTER DELETE ON objects BEGIN
            UPDATE counters SET objects = objects - 1
            WHERE prefix >= substr(OLD.key, 1, instr(OLD.key, '/')) AND prefix <= OLD.key
              AND OLD.etag != except_etag AND substr(OLD.key, 1, length(prefix)) = prefix;
        END;
        CREATE TRIGGER IF NOT EXISTS counters_update_v2 AFTER UPDATE OF etag ON objects BEGIN
            UPDATE counters SET objects = objects + (NEW.etag != except_etag) - (OLD.etag != except_etag)
            WHERE prefix >= substr(NEW.key, 1, instr(NEW.key, '/')) AND prefix <= NEW.key
              AND substr(NEW.key, 1, length(prefix)) = prefix;
        END;
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
        Execute(connection, "BEGIN IMMEDIATE;" + CreateCounters + "COMMIT;"); // two processes opening at once replace the triggers once
    }

    internal static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
