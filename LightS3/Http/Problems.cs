using LightS3.Diagnostics;
using LightS3.Documents;
using LightS3.Storage;
using LightS3.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace LightS3.Http;

/// <summary>
/// Maps every failure a request can meet to an RFC 9457 problem response with a human <c>detail</c>
/// (LightAPI clients read it). Unknown exceptions are the only 500s, and they are logged as bugs.
/// </summary>
internal static class Problems
{
    /// <summary>LightAPI's 403 detail.</summary>
    public const string PermissionDenied = "You do not have permission to perform this action.";

    /// <summary>A problem result.</summary>
    public static IResult Create(int status, string detail, IReadOnlyDictionary<string, string[]>? errors = null,
        IReadOnlyDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = ReasonPhrases.Of(status),
            Detail = detail,
            Type = $"https://httpstatuses.io/{status}",
        };
        if (errors is not null) problem.Extensions["errors"] = errors;
        foreach (var (name, value) in extensions ?? new Dictionary<string, object?>()) problem.Extensions[name] = value;
        return Results.Problem(problem);
    }

    /// <summary>
    /// Runs a route handler and answers any failure as <see cref="For"/> maps it; a request the client aborted is left to
    /// abort. Endpoints, reindex, history and file routes share it, so none of them answers an unmapped 500.
    /// </summary>
    public static async Task<IResult> GuardAsync(HttpContext http, ILogger logger, Func<Task<IResult>> handle)
    {
        try
        {
            return await handle();
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested || e is not OperationCanceledException)
        {
            return For(e, logger);
        }
    }

    /// <summary>The problem result for <paramref name="exception"/>.</summary>
    public static IResult For(Exception exception, ILogger logger) => exception switch
    {
        ApiProblemException p => Create(p.Status, p.Detail, p.Errors),
        Query.InvalidQueryException q => Create(StatusCodes.Status400BadRequest, q.Message, new Dictionary<string, string[]> { [q.Parameter] = [q.Reason] }),
        RecordValidationException v => Create(StatusCodes.Status422UnprocessableEntity, "validation failed", v.Errors),
        RecordNotFoundException => Create(StatusCodes.Status404NotFound, "not found"),
        VersionConflictException c => Conflict(c),
        UniqueConflictException u => Create(StatusCodes.Status409Conflict, $"a record with this {u.Field} already exists",
            new Dictionary<string, string[]> { [u.Field] = ["must be unique; this value is taken"] }),
        BucketNotFoundException b => MissingBucket(b, logger),
        StorageUnavailableException s => Unavailable(s, logger),
        CorruptRecordException c => Corrupt(c, logger),
        ReindexRunningException r => Create(StatusCodes.Status409Conflict, r.Message),
        BadHttpRequestException b => Create(b.StatusCode, b.Message),
        _ => Bug(exception, logger),
    };

    /// <summary>409, with <c>current_version</c> (and the <c>expected_version</c> sent) so a client can reload or overwrite consciously.</summary>
    private static IResult Conflict(VersionConflictException e)
    {
        var versions = new Dictionary<string, object?>();
        if (e.ExpectedVersion is { } expected) versions["expected_version"] = expected;
        if (e.CurrentVersion is { } current) versions["current_version"] = current;
        return Create(StatusCodes.Status409Conflict, "version conflict", extensions: versions);
    }

    private static IResult Unavailable(StorageUnavailableException e, ILogger logger)
    {
        logger.StorageUnavailable(e.Message);
        return Create(StatusCodes.Status503ServiceUnavailable, "storage is unavailable; retry later");
    }

    private static IResult MissingBucket(BucketNotFoundException e, ILogger logger)
    {
        logger.StorageUnavailable(e.Message);
        return Create(StatusCodes.Status503ServiceUnavailable,
            $"storage is unavailable: S3 bucket '{e.Bucket}' does not exist at {e.Endpoint}; create it (or set LIGHTS3_S3_CREATE_BUCKET=true) and retry");
    }

    private static IResult Corrupt(CorruptRecordException e, ILogger logger)
    {
        // Not a client error and not a LightS3 bug: another writer left an object that is not a JSON object.
        logger.CorruptRecord(e.Message);
        return Create(StatusCodes.Status502BadGateway, "the stored record is unreadable (not a JSON object)");
    }

    private static IResult Bug(Exception e, ILogger logger)
    {
        logger.UnhandledError(e);
        return Create(StatusCodes.Status500InternalServerError, "internal error");
    }
}

/// <summary>Standard reason phrases for problem titles.</summary>
internal static class ReasonPhrases
{
    public static string Of(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } p ? p : "Error";
}
