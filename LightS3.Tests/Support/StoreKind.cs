namespace LightS3.Tests.Support;

/// <summary>The stores integration tests run against.</summary>
public enum TestStore
{
    Memory,
    /// <summary>The directory-of-files store.</summary>
    File,
    /// <summary>The embedded SQLite store (the default without S3).</summary>
    Embedded,
    S3,
}
