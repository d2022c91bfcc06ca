using Microsoft.Extensions.Logging;

namespace LightS3.Endpoints;

/// <summary>Log messages of references and on_delete jobs (event ids 46xx, background work).</summary>
internal static partial class RelationLog
{
    [LoggerMessage(4601, LogLevel.Information, "on_delete of {Collection}/{Id}: {Count} referencing records updated or deleted")]
    public static partial void OnDeleteDone(this ILogger logger, string collection, string id, long count);

    [LoggerMessage(4602, LogLevel.Warning, "on_delete of {Collection}/{Id} failed; it will be retried")]
    public static partial void OnDeleteFailed(this ILogger logger, Exception exception, string collection, string id);

    [LoggerMessage(4603, LogLevel.Information, "on_delete of {Collection}/{Id} dropped: the record was not deleted")]
    public static partial void OnDeleteDropped(this ILogger logger, string collection, string id);

    [LoggerMessage(4604, LogLevel.Warning, "on_delete of {Collection}/{Id}: taken over by another instance")]
    public static partial void OnDeleteTakenOver(this ILogger logger, string collection, string id);

    [LoggerMessage(4605, LogLevel.Error, "on_delete pass failed")]
    public static partial void OnDeletePassFailed(this ILogger logger, Exception exception);
}
