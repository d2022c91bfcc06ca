namespace LightS3.Tests.Support;

/// <summary>The stores integration tests run against.</summary>
public enum TestStore
{
    Memory,
    File,
    S3,
}
