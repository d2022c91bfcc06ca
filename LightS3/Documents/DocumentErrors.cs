namespace LightS3;

/// <summary>The record does not exist (HTTP 404).</summary>
public sealed class RecordNotFoundException(string id) : LightS3Exception($"record '{id}' not found")
{
    /// <summary>The id looked up.</summary>
    public string Id { get; } = id;
}

/// <summary>The record changed since the client read it (HTTP 409 "version conflict").</summary>
public sealed class VersionConflictException(string id, long? expectedVersion = null, long? currentVersion = null)
    : LightS3Exception($"version conflict on '{id}'")
{
    /// <summary>The record id.</summary>
    public string Id { get; } = id;

    /// <summary>The version the client sent, when it sent one.</summary>
    public long? ExpectedVersion { get; } = expectedVersion;

    /// <summary>The version stored now, when known (so a client can reload or overwrite consciously).</summary>
    public long? CurrentVersion { get; } = currentVersion;
}

/// <summary>Another record holds this value of a unique field (HTTP 409 naming the field).</summary>
public sealed class UniqueConflictException(string field) : LightS3Exception($"a record with this {field} already exists")
{
    /// <summary>The unique field.</summary>
    public string Field { get; } = field;
}

/// <summary>A stored object is not a JSON object; the record cannot be served.</summary>
public sealed class CorruptRecordException(string key, Exception? inner = null)
    : LightS3Exception($"stored object '{key}' is not a JSON object", inner);
