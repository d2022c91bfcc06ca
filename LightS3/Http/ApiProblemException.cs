namespace LightS3.Http;

/// <summary>Ends a request with a problem response (RFC 9457) of the given status and detail.</summary>
public sealed class ApiProblemException(int status, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
    : LightS3Exception(detail)
{
    /// <summary>The HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>The human-readable detail.</summary>
    public string Detail { get; } = detail;

    /// <summary>Per-field messages, if any.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; } = errors;
}
