namespace LightS3.Hosting;

/// <summary>Which object store backs the records.</summary>
public enum StorageKind
{
    /// <summary>Embedded file store in a data directory (the default without S3 settings).</summary>
    File,
    /// <summary>S3 or an S3-compatible server.</summary>
    S3,
    /// <summary>In-memory, for tests and experiments.</summary>
    Memory,
}
