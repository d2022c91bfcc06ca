using System.Globalization;
using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Endpoints;
using LightS3.Http;
using LightS3.Model;
using LightS3.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LightS3.History;

/// <summary>
/// The history and restore routes of an endpoint (docs/history.md):
/// <c>GET {route}/{id}/_history</c> (versions, newest first, paginated with <c>limit</c> and <c>before</c>),
/// <c>GET {route}/{id}/_history/{version}</c> (that version's body) and <c>POST {route}/{id}/_restore</c>
/// (a soft-deleted record, admins only) or <c>POST {route}/{id}/_restore?version=N</c> (that version's content as a new
/// version, by compare-and-swap). History follows the read permission, object-level included; a restore, the write
/// permission of PUT.
/// </summary>
internal static class TimeEndpoints
{
    private const int DefaultLimit = 20;
    private const int MaxLimit = 100;

    /// <summary>Maps the routes <paramref name="runtime"/>'s model enables onto its route group.</summary>
    public static void Map(RouteGroupBuilder group, EndpointRuntime runtime)
    {
        var time = runtime.Model.Time;
        if (time.History is null && !time.SoftDelete) return;
        var name = runtime.Model.Collection.Replace('/', '_').Replace('-', '_');
        var route = runtime.Model.Route;
        if (time.History is not null)
        {
            group.MapMethods("/{id}/_history", ["GET"], Handler(http => ListAsync(runtime, http)))
                .WithName($"{name}_history").WithDisplayName($"LightS3 GET {route}/{{id}}/_history")
                .WithSummary("Versions of a record, newest first")
                .Produces<JsonObject>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
            group.MapMethods("/{id}/_history/{version}", ["GET"], Handler(http => VersionAsync(runtime, http)))
                .WithName($"{name}_history_version").WithDisplayName($"LightS3 GET {route}/{{id}}/_history/{{version}}")
                .WithSummary("One version of a record")
                .Produces<JsonObject>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        }
        group.MapMethods("/{id}/_restore", ["POST"], Handler(http => RestoreAsync(runtime, http)))
            .WithName($"{name}_restore").WithDisplayName($"LightS3 POST {route}/{{id}}/_restore")
            .WithSummary(time.History is null ? "Restore a soft-deleted record (admins)" : "Restore a soft-deleted record (admins), or an earlier version (?version=N)")
            .Produces<JsonObject>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static Delegate Handler(Func<HttpContext, Task<IResult>> handle)
    {
        Func<HttpContext, Task<IResult>> handler = http => RunAsync(http, () => handle(http));
        return handler;
    }

    private static Task<IResult> RunAsync(HttpContext http, Func<Task<IResult>> handle) =>
        Problems.GuardAsync(http, http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("LightS3.History"), handle);

    /// <summary>Authorizes <paramref name="verb"/>, then finds the record (soft-deleted ones for admins) and checks the object permission.</summary>
    private static async Task<(Record? Record, IResult? Refused, bool Admin)> OpenAsync(EndpointRuntime runtime, HttpContext http, HttpVerbs verb)
    {
        if (await runtime.Authorizer.AuthorizeAsync(http, verb) is { } refused) return (null, refused, false);
        if (!RecordIds.TryNormalize(runtime.Model, http.Request.RouteValues["id"] as string, out var id)) throw new RecordNotFoundException("");
        var admin = runtime.Model.Time.SoftDelete && await runtime.Authorizer.IsAdminAsync(http, verb);
        var record = (admin ? await runtime.Repository.GetIncludingDeletedAsync(id, http.RequestAborted) : await runtime.Repository.GetAsync(id, http.RequestAborted))
            ?? throw new RecordNotFoundException(id);
        // the record as a GET by id finds it: outside the caller's queryset it is not there
        if (!(await RecordVisibility.OpenAsync(runtime, http)).InScope(record.Peek())) throw new RecordNotFoundException(id);
        await runtime.Authorizer.EnsureObjectPermissionAsync(http, verb, record);
        return (record, null, admin);
    }

    private static async Task<IResult> ListAsync(EndpointRuntime runtime, HttpContext http)
    {
        var limit = Number(http, "limit") is { } l ? (int)Math.Min(l, MaxLimit) : DefaultLimit;
        var before = Number(http, "before");
        var (record, refused, _) = await OpenAsync(runtime, http, HttpVerbs.Get);
        if (refused is not null) return refused;
        var page = await runtime.Repository.History!.ListAsync(record!, before, limit, http.RequestAborted);
        var results = new JsonArray();
        foreach (var e in page.Entries)
            results.Add(new JsonObject { ["version"] = e.Version, ["updated_at"] = e.UpdatedAt, ["actor"] = e.Actor, ["operation"] = e.Operation });
        string? next = null;
        if (page.NextBefore is { } nb)
        {
            var r = http.Request;
            next = UriHelper.BuildAbsolute(r.Scheme, r.Host, r.PathBase, r.Path, QueryString.Create(new Dictionary<string, string?> { ["limit"] = limit.ToString(CultureInfo.InvariantCulture), ["before"] = nb.ToString(CultureInfo.InvariantCulture) }));
        }
        return JsonResults.Ok(new JsonObject { ["results"] = results, ["next"] = next });
    }

    private static async Task<IResult> VersionAsync(EndpointRuntime runtime, HttpContext http)
    {
        if (!long.TryParse(http.Request.RouteValues["version"] as string, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 1)
            throw new ApiProblemException(StatusCodes.Status404NotFound, "no such version");
        var (record, refused, _) = await OpenAsync(runtime, http, HttpVerbs.Get);
        if (refused is not null) return refused;
        var body = await runtime.Repository.History!.GetAsync(record!, version, http.RequestAborted)
            ?? throw new ApiProblemException(StatusCodes.Status404NotFound, $"version {version} is not in the history");
        // the version itself must be readable by the caller too (an owner-only permission judges its owner then)
        await runtime.Authorizer.EnsureObjectPermissionAsync(http, HttpVerbs.Get, new Record(body, ""));
        return JsonResults.Ok(Shape(body, runtime.Model.Serializer.Read));
    }

    private static async Task<IResult> RestoreAsync(EndpointRuntime runtime, HttpContext http)
    {
        var version = Number(http, "version");
        var (current, refused, admin) = await OpenAsync(runtime, http, HttpVerbs.Put);
        if (refused is not null) return refused;
        using var actor = WriteActor.Begin(WriteActor.ActorOf(http.User));
        var ct = http.RequestAborted;
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length > 0 && !Storage.ETags.HeaderMatches(ifMatch, current!.ETag)) throw new VersionConflictException(current.Id, null, current.Version);
        var deleted = RecordRepository.IsSoftDeleted(current!);
        if (deleted && !admin) throw new RecordNotFoundException(current!.Id);
        Record restored;
        if (version is null)
        {
            if (!runtime.Model.Time.SoftDelete) throw new ApiProblemException(StatusCodes.Status400BadRequest, "'version' is required: which version to restore");
            if (!deleted) throw new ApiProblemException(StatusCodes.Status409Conflict, "the record is not deleted");
            restored = await runtime.Repository.RestoreAsync(current!, current!.Peek(), current.Version - 1, ct);
        }
        else
        {
            if (runtime.Repository.History is not { } history) throw new ApiProblemException(StatusCodes.Status400BadRequest, "this endpoint keeps no history: restore takes no version");
            var body = await history.GetAsync(current!, version.Value, ct)
                ?? throw new ApiProblemException(StatusCodes.Status404NotFound, $"version {version} is not in the history");
            await runtime.Authorizer.EnsureObjectPermissionAsync(http, HttpVerbs.Put, new Record(body, ""));
            // the content is checked against today's schema and validators, like any write
            var fields = new JsonObject();
            foreach (var field in runtime.Model.Fields) fields[field.Name] = body[field.Name]?.DeepClone();
            var bound = runtime.Binder.Bind(fields, BindMode.Replace);
            await runtime.Validators.ValidateAsync(http.RequestServices, bound.Fields, ct);
            restored = await runtime.Repository.RestoreAsync(current!, bound.Fields, version.Value, ct);
        }
        if (runtime.ResponseCache is { } cache) await cache.InvalidateAsync(ct);
        http.Response.Headers.ETag = Storage.ETags.Quote(restored.ETag);
        return JsonResults.Ok(Shape(restored.Peek(), runtime.Model.Serializer.Write));
    }

    private static JsonObject Shape(JsonObject data, IReadOnlyList<string>? fields)
    {
        if (fields is null) return data;
        var shaped = new JsonObject();
        foreach (var name in fields)
            if (data.TryGetPropertyValue(name, out var value)) shaped[name] = value?.DeepClone();
        return shaped;
    }

    /// <summary>A positive integer query parameter, or null when absent; a 400 otherwise.</summary>
    private static long? Number(HttpContext http, string name)
    {
        if (!http.Request.Query.TryGetValue(name, out var values)) return null;
        return values.Count == 1 && long.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1
            ? n
            : throw new ApiProblemException(StatusCodes.Status400BadRequest, $"'{name}' must be a positive integer, once");
    }
}
