using Microsoft.Extensions.Logging;

namespace LightS3.Jobs;

/// <summary>Log messages of leased jobs (event ids 43xx) and webhooks (44xx).</summary>
internal static partial class JobLog
{
    [LoggerMessage(4301, LogLevel.Information, "job {Job}: lease acquired by {Holder}")]
    public static partial void LeaseAcquired(this ILogger logger, string job, string holder);

    [LoggerMessage(4302, LogLevel.Warning, "job {Job}: lease lost (another instance took it over); stopping the run here")]
    public static partial void LeaseLost(this ILogger logger, string job);

    [LoggerMessage(4303, LogLevel.Warning, "job {Job}: lease unreachable: {Reason}")]
    public static partial void LeaseUnreachable(this ILogger logger, string job, string reason);

    [LoggerMessage(4304, LogLevel.Error, "job {Job}: run failed")]
    public static partial void RunFailed(this ILogger logger, Exception exception, string job);

    [LoggerMessage(4401, LogLevel.Warning, "webhook {Target}: delivery {MessageId} attempt {Attempt} failed: {Reason}")]
    public static partial void DeliveryFailed(this ILogger logger, string target, string messageId, int attempt, string reason);

    [LoggerMessage(4402, LogLevel.Error, "webhook {Target}: delivery {MessageId} dead-lettered as {DeadLetter} after {Attempts} attempts: {Reason}")]
    public static partial void DeadLettered(this ILogger logger, string target, string messageId, string deadLetter, int attempts, string reason);

    [LoggerMessage(4403, LogLevel.Warning, "webhook {Target}: the cursor of {Collection} moved elsewhere (another instance dispatches); stopping here")]
    public static partial void CursorMoved(this ILogger logger, string target, string collection);
}
