using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace LightS3.Files;

/// <summary>
/// Keeps uploads from ever being active content on the app's origin. Only a short list of passive types may show inline
/// (raster images, PDF, plain text, audio, video); every other type — HTML, SVG, XML, scripts, anything unknown — is
/// served as an attachment, so an uploaded page can never run with the app's cookies or <c>sessionStorage</c>. Downloads
/// the app serves itself also carry <c>nosniff</c> and a sandboxing CSP, in case a browser renders them anyway.
/// </summary>
internal static class DownloadPolicy
{
    /// <summary>The CSP of app-served downloads: an opaque origin, no script, no subresource.</summary>
    public const string ContentSecurityPolicy = "sandbox; default-src 'none'";

    /// <summary>The attachment name when the stored one is missing.</summary>
    public const string FallbackName = "download";

    private static readonly FrozenSet<string> InlineTypes = new[]
    {
        "image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/bmp", "application/pdf", "text/plain",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether a file of <paramref name="contentType"/> may be shown inline (parameters such as charset are ignored).</summary>
    public static bool MayShowInline(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || media.MediaType.Value is not { } type) return false;
        // image/svg+xml is no raster image: it scripts; audio and video carry no script
        return InlineTypes.Contains(type) || type.StartsWith("audio/", StringComparison.OrdinalIgnoreCase)
               || type.StartsWith("video/", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The name a download URL must carry: the file's name when asked for, or when its type may not show inline.</summary>
    public static string? AttachmentName(string contentType, string name, bool attachmentAsked) =>
        attachmentAsked || !MayShowInline(contentType) ? (name.Length > 0 ? name : FallbackName) : null;

    /// <summary>Sets the headers of a download the app serves itself.</summary>
    public static void Apply(HttpResponse response, string contentType, string? attachmentName)
    {
        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        // no header is inline: the same answer as an S3 presigned GET without a disposition override
        if (attachmentName is { Length: > 0 } || !MayShowInline(contentType))
            response.Headers.ContentDisposition = FileNames.Attachment(FileNames.Sanitize(attachmentName, FallbackName));
    }
}
