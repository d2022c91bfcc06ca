using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LightS3.Diagnostics;
using LightS3.Endpoints;
using LightS3.Hosting;
using LightS3.Http;
using LightS3.Storage;
using LightS3.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LightS3.Files;

/// <summary>
/// <c>POST /_lights3/s3-events</c>: S3 event notifications (the AWS S3 event JSON <c>{"Records": [...]}</c> that Ceph RGW's
/// HTTP push endpoints send too, the same wrapped in an SNS <c>Notification</c>, or an EventBridge <c>Object Created</c>
/// event) confirm pending uploads, so a client that never calls <c>…/confirm</c> still ends <c>ready</c>. Only object keys of
/// a pending upload of a known record are acted on; everything else is ignored. Protected by
/// <see cref="FileFieldOptions.EventToken"/> (header <c>X-LightS3-Event-Token</c> or query <c>token</c>); without one configured
/// the route answers 404.
/// </summary>
internal static class S3EventEndpoint
{
    public const string Path = "/_lights3/s3-events";
    public const string TokenHeader = "X-LightS3-Event-Token";

    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapPost(Path, (Delegate)HandleAsync).WithName("lights3_s3_events").WithSummary("Accepts S3 event notifications that confirm pending uploads")
            .Produces<JsonObject>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static async Task<IResult> HandleAsync(HttpContext http)
    {
        var files = http.RequestServices.GetRequiredService<FileService>();
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("LightS3.Files.Events");
        if (files.Options.EventToken is not { Length: > 0 } expected) return Problems.Create(StatusCodes.Status404NotFound, "not found");
        var sent = http.Request.Headers[TokenHeader].ToString() is { Length: > 0 } h ? h : http.Request.Query["token"].ToString();
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(expected)))
            return Problems.Create(StatusCodes.Status401Unauthorized, "missing or wrong event token");
        var maxBytes = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<LightS3Options>>().Value.MaxBodyBytes;
        JsonNode? body;
        try
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
            {
                if (buffer.Length + read > maxBytes) return Problems.Create(StatusCodes.Status413PayloadTooLarge, $"an event body may have at most {maxBytes} bytes");
                buffer.Write(chunk, 0, read);
            }
            body = JsonNode.Parse(buffer.ToArray());
        }
        catch (JsonException e)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, JsonSyntax.Describe(e));
        }
        int confirmed = 0, ignored = 0, rejected = 0;
        try
        {
            foreach (var (bucket, key) in ObjectsCreated(body, logger))
            {
                switch (await ConfirmAsync(http, files, bucket, key, logger))
                {
                    case true: confirmed++; break;
                    case false: rejected++; break;
                    default: ignored++; break;
                }
            }
        }
        catch (StorageException e)
        {
            // a 5xx makes SNS/EventBridge deliver again later
            return Problems.For(e, logger);
        }
        catch (JsonException e)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, $"not an S3 event: its SNS Message is {JsonSyntax.Describe(e)}");
        }
        catch (InvalidOperationException)
        {
            // a member of the wrong JSON type (a number where the event has a string)
            return Problems.Create(StatusCodes.Status400BadRequest,
                "not an S3 event: Type, Message, eventName, detail-type, bucket names and object keys must be strings");
        }
        return JsonResults.Ok(new JsonObject { ["confirmed"] = confirmed, ["ignored"] = ignored, ["rejected"] = rejected });
    }

    /// <summary>(bucket, key) of every object-created record of an S3, SNS-wrapped or EventBridge event.</summary>
    internal static IEnumerable<(string? Bucket, string Key)> ObjectsCreated(JsonNode? body, ILogger logger)
    {
        if (body is not JsonObject o) yield break;
        if (o["Type"]?.GetValue<string>() is "SubscriptionConfirmation")
        {
            logger.SnsSubscriptionReceived(o["SubscribeURL"]?.ToString());
            yield break;
        }
        if (o["Type"]?.GetValue<string>() is "Notification" && o["Message"]?.GetValue<string>() is { } message)
        {
            foreach (var item in ObjectsCreated(JsonNode.Parse(message), logger)) yield return item;
            yield break;
        }
        if (o["detail-type"]?.GetValue<string>() is "Object Created" && o["detail"] is JsonObject detail && detail["object"]?["key"]?.GetValue<string>() is { } ebKey)
        {
            yield return (detail["bucket"]?["name"]?.GetValue<string>(), ebKey);
            yield break;
        }
        if (o["Records"] is not JsonArray records) yield break;
        foreach (var record in records.OfType<JsonObject>())
        {
            if (record["eventName"]?.GetValue<string>() is not { } name || !name.StartsWith("ObjectCreated", StringComparison.Ordinal)) continue;
            if (record["s3"]?["object"]?["key"]?.GetValue<string>() is not { } key) continue;
            // S3 URL-encodes keys in events (a space as '+')
            yield return (record["s3"]?["bucket"]?["name"]?.GetValue<string>(), WebUtility.UrlDecode(key));
        }
    }

    /// <summary>True when confirmed, false when the blob broke its limits (deleted), null when the key is not a pending upload.</summary>
    private static async Task<bool?> ConfirmAsync(HttpContext http, FileService files, string? bucket, string bucketKey, ILogger logger)
    {
        var key = files.S3 is { } s3 ? (bucket is null || bucket == s3.Bucket ? s3.StoreKeyOf(bucketKey) : null) : bucketKey;
        if (key is null || BlobKeys.Parse(key) is not { } blob) return null;
        var runtime = http.RequestServices.GetRequiredService<EndpointRegistry>().Endpoints.FirstOrDefault(e => e.Model.Collection == blob.Collection);
        if (runtime?.Model.Field(blob.Field) is not { Kind: Model.FieldKind.File } field) return null;
        var operations = new FileOperations(runtime, field, files);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var record = await operations.ConfirmAsync(null, blob.Id, blob.Token, http.RequestAborted);
                if (record is not null) logger.UploadConfirmedByEvent(blob.Collection, blob.Id, blob.Field);
                return record is null ? null : true;
            }
            catch (RecordValidationException e)
            {
                logger.UploadRefused(blob.Collection, blob.Id, blob.Field, e.Message);
                return false;
            }
            catch (ApiProblemException)
            {
                return null; // expired, or not uploaded after all
            }
            catch (VersionConflictException) when (attempt < 2)
            {
                // the record changed meanwhile (perhaps the client's own confirm): look again
            }
            catch (VersionConflictException)
            {
                return null;
            }
        }
    }
}
