namespace LightS3;

/// <summary>Which object store backs the records.</summary>
public enum StorageKind
{
    /// <summary>
    /// The embedded store in the data directory, the default without S3 settings (<c>LIGHTS3_STORAGE=file</c> or
    /// <c>embedded</c>, YAML <c>file:./data</c>): the SQLite store (<see cref="Sqlite"/>), unless the directory holds
    /// data of the older directory-of-files store and no database, which then keeps being served by the file store
    /// (with a warning pointing at the migration).
    /// </summary>
    File,
    /// <summary>S3 or an S3-compatible server.</summary>
    S3,
    /// <summary>In-memory, for tests and experiments.</summary>
    Memory,
    /// <summary>The SQLite store in the data directory, always (<c>LIGHTS3_STORAGE=sqlite</c>).</summary>
    Sqlite,
    /// <summary>The directory-of-files store in the data directory, always (<c>LIGHTS3_STORAGE=files</c>): one file per object, for inspecting data by hand.</summary>
    Files,
}
