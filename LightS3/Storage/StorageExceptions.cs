namespace LightS3.Storage;

/// <summary>Base class of the errors a store raises.</summary>
public abstract class StorageException(string message, Exception? inner = null) : LightS3Exception(message, inner);

/// <summary>A conditional write or delete found the object in another state than expected.</summary>
public sealed class PreconditionFailedException(string key)
    : StorageException($"precondition failed for '{key}'")
{
    /// <summary>The key whose precondition failed.</summary>
    public string Key { get; } = key;
}

/// <summary>The store could not be reached or answered with a server error; maps to HTTP 503.</summary>
public class StorageUnavailableException(string message, Exception? inner = null)
    : StorageException(message, inner);

/// <summary>
/// The configured S3 bucket does not exist (S3 error <c>NoSuchBucket</c>). Not a missing record and not a conflict:
/// every request answers 503 naming the bucket until it is created (or <c>LIGHTS3_S3_CREATE_BUCKET=true</c> creates it).
/// </summary>
public sealed class BucketNotFoundException(string bucket, string endpoint, Exception? inner = null)
    : StorageUnavailableException($"S3 bucket '{bucket}' does not exist at {endpoint}", inner)
{
    /// <summary>The missing bucket.</summary>
    public string Bucket { get; } = bucket;

    /// <summary>The S3 endpoint asked (a URL, or <c>AWS &lt;region&gt;</c>).</summary>
    public string Endpoint { get; } = endpoint;
}
