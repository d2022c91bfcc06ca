using System.Text.Json;

namespace LightS3.S3Api;

/// <summary>
/// What S3 keeps beside an object's bytes, stored as a sidecar (<see cref="S3Layout.MetaKey"/>). It names the ETag of
/// the bytes it describes: when the object was rewritten by something else (a record updated through the REST API),
/// the sidecar no longer matches and is ignored, so it can never mislabel other bytes.
/// </summary>
internal sealed record S3ObjectMeta(string ETag, DateTimeOffset LastModified, string? ContentType,
    Dictionary<string, string> Headers, Dictionary<string, string> UserMetadata, bool Multipart = false)
{
    public const string DefaultContentType = "binary/octet-stream";

    /// <summary>The stored standard headers S3 returns as given.</summary>
    public static readonly string[] StoredHeaders = ["Cache-Control", "Content-Disposition", "Content-Encoding", "Content-Language", "Expires"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>The sidecar, or null when it is unreadable (sidecars are advisory: never an error).</summary>
    public static S3ObjectMeta? Parse(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            return JsonSerializer.Deserialize<S3ObjectMeta>(bytes.Span, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The metadata a PUT carries: Content-Type, the stored headers and <c>x-amz-meta-*</c>.</summary>
    public static S3ObjectMeta FromRequest(Microsoft.AspNetCore.Http.HttpRequest request, string etag, DateTimeOffset now)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in StoredHeaders)
            if (request.Headers.TryGetValue(name, out var v) && v.ToString() is { Length: > 0 } value) headers[name] = value;
        // aws-chunked is how the body travelled, not what it is
        if (headers.TryGetValue("Content-Encoding", out var encoding))
        {
            var rest = string.Join(',', encoding.Split(',', StringSplitOptions.TrimEntries).Where(e => e != "aws-chunked"));
            if (rest.Length == 0) headers.Remove("Content-Encoding"); else headers["Content-Encoding"] = rest;
        }
        var user = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in request.Headers)
            if (name.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase)) user[name[11..].ToLowerInvariant()] = value.ToString();
        var contentType = request.ContentType is { Length: > 0 } t ? t : null;
        return new S3ObjectMeta(etag, now, contentType, headers, user);
    }
}
