using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Endpoints;
using LightS3.Http;
using LightS3.Model;
using LightS3.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LightS3.Files;

/// <summary>
/// Maps the routes of each file field of an endpoint, on its route group:
/// <c>POST {route}/{id}/{field}/upload</c>, <c>POST {route}/{id}/{field}/confirm</c>, <c>GET {route}/{id}/{field}</c>
/// (307 to a signed URL; <c>?download=1</c> for an attachment) and <c>DELETE {route}/{id}/{field}</c>. Upload, confirm
/// and delete need the permission of updating the record (PUT), the download that of retrieving it (GET).
/// </summary>
internal static class FileRoutes
{
    public static void Map(IEndpointRouteBuilder routes, RouteGroupBuilder group, EndpointRuntime runtime)
    {
        var fields = runtime.Model.FileFields.ToList();
        if (fields.Count == 0) return;
        var files = routes.ServiceProvider.GetRequiredService<FileService>();
        if (files.ClaimAppRoutes())
        {
            EmbeddedBlobRoutes.Map(routes);
            S3EventEndpoint.Map(routes);
        }
        var logger = routes.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("LightS3.Files");
        var name = runtime.Model.Collection.Replace('/', '_').Replace('-', '_');
        foreach (var field in fields)
        {
            var operations = new FileOperations(runtime, field, files);
            var at = $"/{{id}}/{field.Name}";
            Describe(group.MapPost(at + "/upload", (Delegate)(Func<HttpContext, Task<IResult>>)(http => HandleAsync(http, runtime, HttpVerbs.Put, logger, async id =>
                {
                    var request = HasBody(http.Request) ? await RequestBody.ReadObjectAsync(http, runtime.Options.MaxBodyBytes) : new JsonObject();
                    var (record, grant) = await operations.UploadAsync(http, id, request);
                    http.Response.Headers.ETag = ETags.Quote(record.ETag);
                    http.Response.Headers.CacheControl = "no-store";
                    return JsonResults.Ok(grant.ToJson());
                }))), $"{name}_{field.Name}_upload", $"Starts an upload of '{field.Name}': a presigned URL the client sends the file to", 200);
            Describe(group.MapPost(at + "/confirm", (Delegate)(Func<HttpContext, Task<IResult>>)(http => HandleAsync(http, runtime, HttpVerbs.Put, logger, async id =>
                {
                    var record = await operations.ConfirmAsync(http, id, null, http.RequestAborted) ?? throw new RecordNotFoundException(id);
                    http.Response.Headers.ETag = ETags.Quote(record.ETag);
                    return JsonResults.Bytes(StatusCodes.Status200OK, Render(runtime, record));
                }))), $"{name}_{field.Name}_confirm", $"Confirms the uploaded '{field.Name}' and returns the record", 200);
            Describe(group.MapGet(at, (Delegate)(Func<HttpContext, Task<IResult>>)(http => HandleAsync(http, runtime, HttpVerbs.Get, logger, async id =>
                {
                    var attachment = http.Request.Query["download"].ToString() is "1" or "true";
                    var url = await operations.DownloadUrlAsync(http, id, attachment);
                    http.Response.Headers.CacheControl = "no-store";
                    return Results.Redirect(url, permanent: false, preserveMethod: true);
                }))), $"{name}_{field.Name}_download", $"Redirects (307) to a short-lived signed download URL of '{field.Name}'", 307);
            Describe(group.MapDelete(at, (Delegate)(Func<HttpContext, Task<IResult>>)(http => HandleAsync(http, runtime, HttpVerbs.Put, logger, async id =>
                {
                    var record = await operations.DeleteAsync(http, id);
                    http.Response.Headers.ETag = ETags.Quote(record.ETag);
                    return Results.NoContent();
                }))), $"{name}_{field.Name}_delete", $"Removes '{field.Name}' (the field becomes null; the bytes are collected later)", 204);
        }
    }

    private static void Describe(RouteHandlerBuilder endpoint, string name, string summary, int success)
    {
        endpoint.WithName(name).WithSummary(summary);
        if (success == 200) endpoint.Produces<JsonObject>(StatusCodes.Status200OK, "application/json");
        else endpoint.Produces(success);
        endpoint.ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static Task<IResult> HandleAsync(HttpContext http, EndpointRuntime runtime, HttpVerbs verb, ILogger logger, Func<string, Task<IResult>> action) =>
        Problems.GuardAsync(http, logger, async () =>
        {
            // file changes are record updates: an endpoint that allows neither PUT nor PATCH has read-only files
            var allowed = verb == HttpVerbs.Get ? runtime.Model.Methods.HasFlag(HttpVerbs.Get) : (runtime.Model.Methods & (HttpVerbs.Put | HttpVerbs.Patch)) != 0;
            if (!allowed) return Problems.Create(StatusCodes.Status405MethodNotAllowed, "Method Not Allowed: this endpoint does not allow updating records");
            if (await runtime.Authorizer.AuthorizeAsync(http, verb) is { } refused) return refused;
            using var actor = WriteActor.Begin(WriteActor.ActorOf(http.User)); // a file change is the caller's update: updated_by, history
            if (!RecordIds.TryNormalize(runtime.Model, http.Request.RouteValues["id"] as string, out var id))
                return Problems.Create(StatusCodes.Status404NotFound, "not found");
            return await action(id);
        });

    private static bool HasBody(HttpRequest request) => request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    /// <summary>The record as responses show it (file bookkeeping hidden, the endpoint's write serializer applied).</summary>
    private static ReadOnlyMemory<byte> Render(EndpointRuntime runtime, Record record)
    {
        var selection = runtime.Model.Serializer.Write;
        var shaped = new JsonObject();
        foreach (var name in selection ?? record.Data.Select(p => p.Key).ToList())
            if (record.Data.TryGetPropertyValue(name, out var value))
                shaped[name] = runtime.FileFieldNames.Contains(name) ? FileValue.Public(value) : value?.DeepClone();
        return RecordCodec.Encode(shaped);
    }
}
