using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace LightS3.Endpoints;

/// <summary>
/// A response kept whole (status, content type, <c>Location</c>, <c>ETag</c>, body), so an idempotent request can
/// answer its retries with exactly the first answer.
/// </summary>
internal sealed record CapturedResponse(
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("content_type")] string? ContentType,
    [property: JsonPropertyName("location")] string? Location,
    [property: JsonPropertyName("etag")] string? ETag,
    [property: JsonPropertyName("body")] byte[] Body)
{
    /// <summary>Runs <paramref name="result"/> into memory and keeps what it wrote.</summary>
    public static async Task<CapturedResponse> CaptureAsync(HttpContext http, IResult result)
    {
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await result.ExecuteAsync(http);
        }
        finally
        {
            http.Response.Body = original;
        }
        var headers = http.Response.Headers;
        return new CapturedResponse(http.Response.StatusCode, http.Response.ContentType,
            headers.Location.ToString() is { Length: > 0 } l ? l : null, headers.ETag.ToString() is { Length: > 0 } e ? e : null, buffer.ToArray());
    }

    /// <summary>The response as a result; <paramref name="replayed"/> adds <c>Idempotent-Replayed: true</c>.</summary>
    public IResult ToResult(bool replayed) => new Replay(this, replayed);

    private sealed class Replay(CapturedResponse response, bool replayed) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = response.Status;
            if (response.ContentType is { } type) http.Response.ContentType = type;
            if (response.Location is { } location) http.Response.Headers.Location = location;
            if (response.ETag is { } etag) http.Response.Headers[HeaderNames.ETag] = etag;
            if (replayed) http.Response.Headers[IdempotentRequests.ReplayedHeader] = "true";
            http.Response.ContentLength = response.Body.Length;
            await http.Response.Body.WriteAsync(response.Body, http.RequestAborted);
        }
    }
}
