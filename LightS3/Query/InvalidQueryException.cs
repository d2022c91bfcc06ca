namespace LightS3.Query;

/// <summary>
/// A query parameter (filter, ordering, page, cursor …) that cannot be read: the caller's mistake, answered as a 400 that
/// names the parameter. Thrown by the query layer, which knows nothing of HTTP; the exception handler maps it.
/// </summary>
/// <param name="parameter">The offending parameter.</param>
/// <param name="reason">What is wrong with it.</param>
public sealed class InvalidQueryException(string parameter, string reason)
    : LightS3Exception($"invalid query parameter '{parameter}': {reason}")
{
    /// <summary>The offending parameter.</summary>
    public string Parameter { get; } = parameter;

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; } = reason;
}
