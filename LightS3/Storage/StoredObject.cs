namespace LightS3.Storage;

/// <summary>An object read from a store: its key, bytes and ETag (unquoted).</summary>
public sealed record StoredObject(string Key, ReadOnlyMemory<byte> Content, string ETag);

/// <summary>One key of a listing with the ETag, size and last-modified time the store reported for it.</summary>
public sealed record ObjectEntry(string Key, string ETag, long Size, DateTimeOffset LastModified);

/// <summary>One page of a listing. When <see cref="IsTruncated"/>, continue with the last key as StartAfter.</summary>
public sealed record ObjectListing(IReadOnlyList<ObjectEntry> Entries, bool IsTruncated);
