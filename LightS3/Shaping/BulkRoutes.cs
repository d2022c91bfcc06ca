using System.Buffers;
using System.Text.Json;
using LightS3.Documents;
using LightS3.Endpoints;
using LightS3.Http;
using LightS3.Model;
using LightS3.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace LightS3.Shaping;

/// <summary>
/// <c>POST {route}/_bulk</c>: an <c>application/x-ndjson</c> body, one operation per line (see <see cref="BulkOperation"/>),
/// answered 200 with one NDJSON result per non-blank line, in line order:
/// <c>{"line": n, "status": 201|200|204|400|401|403|404|409|422|503, "id": ..., "version": ..., "detail": ..., "errors": {...}}</c>.
/// Every item is a full write through the endpoint's own handler — the same <c>CreateAsync</c>/<c>UpdateAsync</c>/<c>DestroyAsync</c>
/// as the single-record routes (validation, compare-and-swap, unique values, indexes, the verb's permission and its
/// object-level check) — run <see cref="LightS3Options.BulkParallelism"/> at a time. Not atomic: each line
/// succeeds or fails on its own, and lines run concurrently (two lines touching one record race as two clients would).
/// </summary>
internal static class BulkRoutes
{
    /// <summary>The path segment, after the collection's route.</summary>
    public const string Segment = "/_bulk";

    /// <summary>The media type of the request and response bodies.</summary>
    public const string MediaType = "application/x-ndjson";

    /// <summary>Marks the endpoint for the OpenAPI description.</summary>
    public sealed record Metadata(EndpointModel Model);

    /// <summary>Maps the route when the endpoint allows any write.</summary>
    public static void Map(RouteGroupBuilder group, EndpointRuntime runtime)
    {
        if ((runtime.Model.Methods & (HttpVerbs.Post | HttpVerbs.Patch | HttpVerbs.Delete)) == 0) return;
        var logger = Logger(group);
        Func<HttpContext, Task<IResult>> handle = http => Problems.GuardAsync(http, logger, () => HandleAsync(http, runtime, logger));
        group.MapPost(Segment, (Delegate)handle)
            .WithName($"{EndpointOperations.NameOf(runtime.Model)}_bulk")
            .WithDisplayName($"LightS3 POST {runtime.Model.Route}{Segment}")
            .WithMetadata(new Metadata(runtime.Model))
            .Produces(StatusCodes.Status200OK, contentType: MediaType)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static ILogger Logger(RouteGroupBuilder group) =>
        ((IEndpointRouteBuilder)group).ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("LightS3.Bulk");

    private static async Task<IResult> HandleAsync(HttpContext http, EndpointRuntime runtime, ILogger logger)
    {
        if (await runtime.LimitAsync(http) is { } limited) return limited; // one request against the endpoint's rate limit
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var media) || !media.MediaType.Equals(MediaType, StringComparison.OrdinalIgnoreCase))
            throw new ApiProblemException(StatusCodes.Status415UnsupportedMediaType,
                $"Content-Type must be {MediaType}: one JSON object per line (got '{(string.IsNullOrEmpty(http.Request.ContentType) ? "none" : http.Request.ContentType)}')");
        var body = await BodyBytes.ReadAsync(http, runtime.Options.MaxBulkBodyBytes);
        if (IdempotentRequests.IsRequested(http)) return await IdempotentRequests.RunAsync(http, runtime, body, () => RunAsync(http, runtime, body, logger));
        return await RunAsync(http, runtime, body, logger);
    }

    private static async Task<IResult> RunAsync(HttpContext http, EndpointRuntime runtime, ReadOnlyMemory<byte> body, ILogger logger)
    {
        var lines = Lines(body);
        var operations = new (BulkOperation? Operation, BulkResult? Failure)[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            try
            {
                operations[i] = (BulkOperation.Parse(body.Span.Slice(lines[i].Start, lines[i].Length)), null);
            }
            catch (ApiProblemException e)
            {
                operations[i] = (null, new BulkResult(e.Status, null, null, e.Detail, e.Errors));
            }
        }

        // who may do what: asked once per verb used; missing or refused credentials fail the whole request, as for one record
        var refusals = new Dictionary<HttpVerbs, BulkResult?>();
        foreach (var verb in operations.Where(o => o.Operation is not null).Select(o => o.Operation!.Verb).Distinct())
        {
            if (!runtime.Model.Methods.HasFlag(verb))
            {
                refusals[verb] = new BulkResult(StatusCodes.Status405MethodNotAllowed, null, null, $"{HttpVerbNames.Of(verb).Single()} is not allowed on this endpoint", null);
                continue;
            }
            var refused = await runtime.Authorizer.AuthorizeAsync(http, verb);
            if (refused is IStatusCodeHttpResult { StatusCode: StatusCodes.Status401Unauthorized }) return refused;
            refusals[verb] = refused is null ? null : FromProblem(refused);
        }

        using var actor = WriteActor.Begin(WriteActor.ActorOf(http.User)); // created_by / updated_by, as for one record
        var results = new BulkResult[lines.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, lines.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, runtime.Options.BulkParallelism), CancellationToken = http.RequestAborted },
            async (i, _) =>
            {
                var (operation, failure) = operations[i];
                results[i] = failure ?? refusals[operation!.Verb] ?? await ApplyAsync(http, runtime, operation, logger);
            });

        // the writes are stored: drop cached reads before the client can ask again
        if (results.Any(r => r.Status is >= 200 and < 300)) await runtime.InvalidateCacheAsync(CancellationToken.None);
        return new NdjsonResult(Encode(results, lines));
    }

    private static async Task<BulkResult> ApplyAsync(HttpContext http, EndpointRuntime runtime, BulkOperation operation, ILogger logger)
    {
        var handler = runtime.CreateHandler(http, operation.Verb);
        var id = operation.Id;
        try
        {
            if (id is not null)
            {
                if (!RecordIds.TryNormalize(runtime.Model, id, out var normalized)) return new BulkResult(StatusCodes.Status404NotFound, id, null, "not found", null);
                id = normalized;
            }
            switch (operation.Action)
            {
                case BulkAction.Create:
                {
                    var record = await handler.CreateAsync(runtime.Binder.Canonicalize(operation.Data!, BindMode.Create));
                    return new BulkResult(StatusCodes.Status201Created, record.Id, record.Version, null, null);
                }
                case BulkAction.Update:
                {
                    var data = operation.Data!;
                    if (operation.Version is { } v) data[AutoFields.Version] = v;
                    var record = await handler.UpdateAsync(id!, runtime.Binder.Canonicalize(data, BindMode.Patch), partial: true, ifMatch: null);
                    return new BulkResult(StatusCodes.Status200OK, record.Id, record.Version, null, null);
                }
                default:
                {
                    string? ifMatch = null;
                    if (operation.Version is { } expected)
                    {
                        // only that version: its ETag makes the delete a compare-and-swap
                        var current = await runtime.Repository.GetAsync(id!, http.RequestAborted) ?? throw new RecordNotFoundException(id!);
                        if (current.Version != expected) throw new VersionConflictException(id!, expected, current.Version);
                        ifMatch = Storage.ETags.Quote(current.ETag);
                    }
                    await handler.DestroyAsync(id!, ifMatch);
                    return new BulkResult(StatusCodes.Status204NoContent, id, null, null, null);
                }
            }
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested || e is not OperationCanceledException)
        {
            var failure = FromProblem(Problems.For(e, logger));
            return failure with { Id = failure.Id ?? id };
        }
    }

    private static BulkResult FromProblem(IResult result)
    {
        if (result is ProblemHttpResult { ProblemDetails: var p })
        {
            var errors = p.Extensions.TryGetValue("errors", out var e) ? e as IReadOnlyDictionary<string, string[]> : null;
            return new BulkResult(p.Status ?? StatusCodes.Status500InternalServerError, null, null, p.Detail, errors);
        }
        return new BulkResult(result is IStatusCodeHttpResult { StatusCode: { } s } ? s : StatusCodes.Status500InternalServerError, null, null, null, null);
    }

    /// <summary>The non-blank lines of <paramref name="body"/> (LF or CRLF), as (start, length) with the line number.</summary>
    private static List<(int Start, int Length, int Number)> Lines(ReadOnlyMemory<byte> body)
    {
        var lines = new List<(int, int, int)>();
        var span = body.Span;
        var start = 0;
        var number = 0;
        while (start <= span.Length)
        {
            var end = span[start..].IndexOf((byte)'\n');
            var stop = end < 0 ? span.Length : start + end;
            number++;
            var line = span[start..stop].TrimEnd((byte)'\r');
            if (!line.Trim(" \t"u8).IsEmpty) lines.Add((start, line.Length, number));
            if (end < 0) break;
            start = stop + 1;
        }
        return lines;
    }

    private static byte[] Encode(BulkResult[] results, List<(int Start, int Length, int Number)> lines)
    {
        var output = new ArrayBufferWriter<byte>(results.Length * 64 + 16);
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        for (var i = 0; i < results.Length; i++)
        {
            var r = results[i];
            writer.WriteStartObject();
            writer.WriteNumber("line", lines[i].Number);
            writer.WriteNumber("status", r.Status);
            if (r.Id is not null) writer.WriteString("id", r.Id);
            else writer.WriteNull("id");
            if (r.Version is { } version) writer.WriteNumber("version", version);
            if (r.Detail is not null) writer.WriteString("detail", r.Detail);
            if (r.Errors is { Count: > 0 } errors)
            {
                writer.WriteStartObject("errors");
                foreach (var (field, messages) in errors)
                {
                    writer.WriteStartArray(field);
                    foreach (var m in messages) writer.WriteStringValue(m);
                    writer.WriteEndArray();
                }
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
            writer.Flush();
            output.Write("\n"u8);
            writer.Reset();
        }
        return output.WrittenSpan.ToArray();
    }

    private sealed record BulkResult(int Status, string? Id, long? Version, string? Detail, IReadOnlyDictionary<string, string[]>? Errors);

    private sealed class NdjsonResult(byte[] body) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = MediaType;
            http.Response.ContentLength = body.Length;
            await http.Response.Body.WriteAsync(body, http.RequestAborted);
        }
    }
}
