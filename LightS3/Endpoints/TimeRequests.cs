using LightS3.Documents;
using LightS3.Http;
using LightS3.Model;
using Microsoft.AspNetCore.Http;

namespace LightS3.Endpoints;

/// <summary>
/// The soft-delete variants of the ordinary verbs, decided before the handler runs: an admin's
/// <c>GET {route}?deleted=true</c> (the ordinary list, showing only soft-deleted records) and
/// <c>DELETE {route}/{id}?purge=true</c> (removes a live or soft-deleted record for good).
/// </summary>
internal static class TimeRequests
{
    /// <summary>The query parameter of the deleted listing.</summary>
    public const string Deleted = Query.QueryParameters.Deleted;

    /// <summary>The query parameter of a purge.</summary>
    public const string Purge = "purge";

    /// <summary>Whether the caller is an admin (the <see cref="IsAdminUser"/> permission).</summary>
    public static async Task<bool> IsAdminAsync(EndpointRuntime runtime, HttpContext http, HttpVerbs verb) =>
        await runtime.Authorizer.IsAdminAsync(http, verb);

    /// <summary>The result of a soft-delete variant of the request, or null when it is an ordinary one.</summary>
    public static async Task<IResult?> HandleAsync(EndpointRuntime runtime, HttpContext http, HttpVerbs verb, string? id, Func<RestEndpointBase> newHandler)
    {
        if (!runtime.Model.Time.SoftDelete) return null;
        if (verb == HttpVerbs.Get && id is null && Flag(http, Deleted) == true)
        {
            if (!await IsAdminAsync(runtime, http, verb)) throw new ApiProblemException(StatusCodes.Status403Forbidden, "only admins may list deleted records");
            using (runtime.Repository.ShowOnly(RecordView.Deleted)) return await newHandler().GetAsync(null); // never cached
        }
        if (verb == HttpVerbs.Delete && id is not null && Flag(http, Purge) == true)
        {
            if (!await IsAdminAsync(runtime, http, verb)) throw new ApiProblemException(StatusCodes.Status403Forbidden, "only admins may purge records");
            var current = await runtime.Repository.GetIncludingDeletedAsync(id, http.RequestAborted) ?? throw new RecordNotFoundException(id);
            await runtime.Authorizer.EnsureObjectPermissionAsync(http, verb, current);
            var ifMatch = http.Request.Headers.IfMatch.ToString();
            if (ifMatch.Length > 0 && !Storage.ETags.HeaderMatches(ifMatch, current.ETag)) throw new VersionConflictException(id, null, current.Version);
            await runtime.Repository.PurgeAsync(current, http.RequestAborted);
            return Results.NoContent();
        }
        return null;
    }

    /// <summary>A boolean query parameter: null when absent; a 400 when it is not <c>true</c> or <c>false</c>.</summary>
    public static bool? Flag(HttpContext http, string name)
    {
        if (!http.Request.Query.TryGetValue(name, out var values)) return null;
        return values.Count == 1 && values[0] is "true" or "false"
            ? values[0] == "true"
            : throw new ApiProblemException(StatusCodes.Status400BadRequest, $"'{name}' must be true or false, once");
    }
}
