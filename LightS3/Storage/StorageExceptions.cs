namespace LightS3.Storage;

/// <summary>Base class of the errors a store raises.</summary>
public abstract class StorageException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A conditional write or delete found the object in another state than expected.</summary>
public sealed class PreconditionFailedException(string key)
    : StorageException($"precondition failed for '{key}'")
{
    /// <summary>The key whose precondition failed.</summary>
    public string Key { get; } = key;
}

/// <summary>The store could not be reached or answered with a server error; maps to HTTP 503.</summary>
public sealed class StorageUnavailableException(string message, Exception? inner = null)
    : StorageException(message, inner);
