using System.Text.Json.Nodes;
using LightS3.Documents;

namespace LightS3.Files;

/// <summary>
/// What <c>POST /{route}/{id}/{field}/upload</c> answers: send the file to <see cref="Url"/> with <see cref="Method"/> —
/// a multipart form POST with <see cref="Fields"/> first and the file last (S3), or a PUT with <see cref="Headers"/>
/// (the app-served URL of other stores) — before <see cref="ExpiresAt"/>.
/// </summary>
internal sealed record UploadGrant(string Url, string Method, IReadOnlyDictionary<string, string> Fields, IReadOnlyDictionary<string, string> Headers, DateTimeOffset ExpiresAt)
{
    /// <summary>The response body: <c>{"url", "method", "fields", "headers", "expires_at"}</c>.</summary>
    public JsonObject ToJson() => new()
    {
        ["url"] = Url,
        ["method"] = Method,
        ["fields"] = new JsonObject(Fields.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)f.Value))),
        ["headers"] = new JsonObject(Headers.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)h.Value))),
        ["expires_at"] = FileValue.Format(ExpiresAt),
    };
}

/// <summary>What a store knows about an uploaded blob.</summary>
/// <param name="Size">Size in bytes.</param>
/// <param name="ContentType">The stored content type, when the store keeps one (S3); null when the upload route enforced it.</param>
/// <param name="ETag">The blob's ETag.</param>
internal sealed record BlobInfo(long Size, string? ContentType, string ETag);

/// <summary>How file bytes travel between clients and a store without the app in the way (S3) or through a signed app route (other stores).</summary>
internal interface IBlobTransfer
{
    /// <summary>A grant to upload <paramref name="key"/> (0 store requests).</summary>
    Task<UploadGrant> CreateUploadAsync(string key, string contentType, long minBytes, long maxBytes, DateTimeOffset expires, string baseUrl);

    /// <summary>A signed URL that downloads <paramref name="key"/> until <paramref name="expires"/> (0 store requests).</summary>
    string DownloadUrl(string key, string contentType, string? attachmentName, DateTimeOffset expires, string baseUrl);

    /// <summary>Size, type and ETag of an uploaded blob (1 request), or null when nothing was uploaded.</summary>
    Task<BlobInfo?> StatAsync(string key, CancellationToken ct);

    /// <summary>Deletes a blob that broke its limits.</summary>
    Task DeleteAsync(string key, string etag, CancellationToken ct);
}
