namespace LightS3.Storage;

/// <summary>
/// An optional capability of a store whose backend keeps every version of an object (S3 bucket versioning): version
/// history then costs no extra write. Found behind decorators with <c>store.Find&lt;IVersionedObjectStore&gt;()</c>.
/// </summary>
public interface IVersionedObjectStore : IObjectStore
{
    /// <summary>Whether the backend currently keeps versions (bucket versioning "Enabled"); asked once, then remembered.</summary>
    Task<bool> IsVersioningEnabledAsync(CancellationToken cancellationToken = default);

    /// <summary>The versions of exactly <paramref name="key"/>, newest first, delete markers included.</summary>
    Task<IReadOnlyList<ObjectVersion>> ListVersionsAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>One version of an object, or null when it does not exist.</summary>
    Task<StoredObject?> GetVersionAsync(string key, string versionId, CancellationToken cancellationToken = default);

    /// <summary>Removes one version of an object for good.</summary>
    Task DeleteVersionAsync(string key, string versionId, CancellationToken cancellationToken = default);
}

/// <summary>One stored version of an object.</summary>
/// <param name="VersionId">The backend's version id.</param>
/// <param name="ETag">The version's ETag (unquoted).</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="LastModified">When the version was written.</param>
/// <param name="IsLatest">Whether it is the current version.</param>
/// <param name="IsDeleteMarker">Whether it is a delete marker (no content).</param>
public sealed record ObjectVersion(string VersionId, string ETag, long Size, DateTimeOffset LastModified, bool IsLatest, bool IsDeleteMarker);
