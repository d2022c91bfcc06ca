namespace LightS3;

/// <summary>A body failed validation; <see cref="Errors"/> maps each field to its messages (HTTP 422).</summary>
public sealed class RecordValidationException(IReadOnlyDictionary<string, string[]> errors)
    : LightS3Exception("validation failed: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")))
{
    /// <summary>Messages by field name.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}
