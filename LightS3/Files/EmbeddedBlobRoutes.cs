using System.Globalization;
using LightS3.Http;
using LightS3.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace LightS3.Files;

/// <summary>
/// The app-served URLs of files on stores without presigned URLs: <c>PUT /_lights3/blobs/upload</c> and
/// <c>GET /_lights3/blobs/download</c>, both valid only with an unexpired HMAC signature over key, content type and
/// limits. The upload enforces size (413 beyond the maximum, before reading more than it allows) and content type (415),
/// and never overwrites a blob (409); the download serves byte ranges, with the headers of <see cref="DownloadPolicy"/>.
/// </summary>
internal static class EmbeddedBlobRoutes
{
    public const string UploadPath = "/_lights3/blobs/upload";
    public const string DownloadPath = "/_lights3/blobs/download";

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPut(UploadPath, (Delegate)UploadAsync).WithDisplayName("LightS3 file upload (signed URL)").ExcludeFromDescription();
        routes.MapGet(DownloadPath, (Delegate)DownloadAsync).WithDisplayName("LightS3 file download (signed URL)").ExcludeFromDescription();
    }

    private static async Task<IResult> UploadAsync(HttpContext http)
    {
        var q = http.Request.Query;
        string key = q["k"].ToString(), ct = q["ct"].ToString(), min = q["min"].ToString(), max = q["max"].ToString(), exp = q["exp"].ToString();
        var signer = http.RequestServices.GetRequiredService<FileService>().Signer;
        if (Refused(signer.Verify(q["sig"].ToString(), "put", key, ct, min, max, exp), exp, http) is { } refused) return refused;
        if (!long.TryParse(min, CultureInfo.InvariantCulture, out var minBytes) || !long.TryParse(max, CultureInfo.InvariantCulture, out var maxBytes))
            return Problems.Create(StatusCodes.Status403Forbidden, "invalid upload URL");
        var sent = MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var media) ? media.MediaType.ToString() : "";
        if (!string.Equals(sent, ct, StringComparison.OrdinalIgnoreCase))
            return Problems.Create(StatusCodes.Status415UnsupportedMediaType, $"this upload URL accepts Content-Type {ct} only (got '{http.Request.ContentType}')");
        if (http.Request.ContentLength > maxBytes) return TooLarge(maxBytes);
        // the signed limit, not the server's default request size limit (30 MB in Kestrel), bounds a file upload
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = maxBytes + 1;
        try
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[64 * 1024];
            int read;
            while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
            {
                if (buffer.Length + read > maxBytes) return TooLarge(maxBytes);
                buffer.Write(chunk, 0, read);
            }
            if (buffer.Length < minBytes)
                return Problems.Create(StatusCodes.Status400BadRequest, $"the file has {buffer.Length} bytes; this upload URL needs at least {minBytes}");
            var store = http.RequestServices.GetRequiredService<IObjectStore>();
            var etag = await store.PutAsync(key, buffer.GetBuffer().AsMemory(0, (int)buffer.Length), WriteCondition.IfNoneMatch, http.RequestAborted);
            http.Response.Headers.ETag = ETags.Quote(etag);
            return Results.NoContent();
        }
        catch (PreconditionFailedException)
        {
            return Problems.Create(StatusCodes.Status409Conflict, "this upload URL was used already; request a new one");
        }
        catch (Exception e) when (e is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            return Problems.For(e, http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(EmbeddedBlobRoutes)));
        }
    }

    private static async Task<IResult> DownloadAsync(HttpContext http)
    {
        var q = http.Request.Query;
        string key = q["k"].ToString(), ct = q["ct"].ToString(), exp = q["exp"].ToString(), name = q["n"].ToString();
        var signer = http.RequestServices.GetRequiredService<FileService>().Signer;
        if (Refused(signer.Verify(q["sig"].ToString(), "get", key, ct, exp, name), exp, http) is { } refused) return refused;
        try
        {
            var blob = await http.RequestServices.GetRequiredService<IObjectStore>().GetAsync(key, http.RequestAborted);
            if (blob is null) return Problems.Create(StatusCodes.Status404NotFound, "the file is gone");
            DownloadPolicy.Apply(http.Response, ct, name);
            http.Response.Headers.CacheControl = "private, max-age=60";
            // RFC 9110 §14.2: a Range in a unit other than bytes (items=0-1) is ignored, so the whole file is the answer
            if (!IsByteRange(http.Request.Headers.Range.ToString())) http.Request.Headers.Remove(HeaderNames.Range);
            return Results.Bytes(blob.Content, ct, enableRangeProcessing: true, entityTag: new EntityTagHeaderValue(ETags.Quote(blob.ETag)));
        }
        catch (Exception e) when (e is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            return Problems.For(e, http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(EmbeddedBlobRoutes)));
        }
    }

    private static bool IsByteRange(string range) =>
        range.Length == 0 || range.TrimStart().StartsWith("bytes=", StringComparison.OrdinalIgnoreCase);

    private static IResult? Refused(bool signed, string exp, HttpContext http)
    {
        if (!signed) return Problems.Create(StatusCodes.Status403Forbidden, "the URL signature does not match");
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeSeconds();
        return long.TryParse(exp, CultureInfo.InvariantCulture, out var expires) && now <= expires
            ? null
            : Problems.Create(StatusCodes.Status403Forbidden, "the URL has expired");
    }

    private static IResult TooLarge(long max) =>
        Problems.Create(StatusCodes.Status413PayloadTooLarge, $"the file exceeds this field's limit of {max} bytes");
}
