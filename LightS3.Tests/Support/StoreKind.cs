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
    /// <summary>The S3 store (AWS SDK) pointed at LightS3's own S3 API over an embedded store.</summary>
    Gateway,
}
