using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace LightS3.Http;

/// <summary>Reads a JSON object body with the checks a client deserves clear answers to: 415, 413, 400, 422.</summary>
internal static class RequestBody
{
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    /// <summary>Reads and parses the request body as a JSON object of at most <paramref name="maxBytes"/> bytes.</summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpContext http, long maxBytes)
    {
        var request = http.Request;
        if (!IsJson(request.ContentType))
            throw new ApiProblemException(StatusCodes.Status415UnsupportedMediaType,
                $"Content-Type must be application/json (got '{(string.IsNullOrEmpty(request.ContentType) ? "none" : request.ContentType)}')");
        if (request.ContentLength > maxBytes) throw TooLarge(maxBytes);

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBytes) throw TooLarge(maxBytes);
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0) throw new ApiProblemException(StatusCodes.Status400BadRequest, "request body is empty; send a JSON object");

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), documentOptions: ParseOptions);
            EnsureValidText(node);
        }
        catch (JsonException e)
        {
            throw new ApiProblemException(StatusCodes.Status400BadRequest, JsonSyntax.Describe(e));
        }
        catch (ArgumentException)
        {
            throw new ApiProblemException(StatusCodes.Status400BadRequest, "malformed JSON: this is not valid JSON text");
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json defers decoding strings: invalid UTF-8 bytes or a lone surrogate escape ("\ud800")
            // only surface when a string is read, so every name and string is read here, once, up front
            throw new ApiProblemException(StatusCodes.Status400BadRequest,
                "malformed JSON: a string is not valid Unicode (invalid UTF-8 bytes or an unpaired surrogate escape)");
        }
        return node as JsonObject ?? throw new ApiProblemException(StatusCodes.Status422UnprocessableEntity,
            $"request body must be a JSON object, not {(node is null ? "null" : node.GetValueKind().ToString().ToLowerInvariant())}");
    }

    /// <summary>Decodes every property name and string of <paramref name="node"/>; throws <see cref="InvalidOperationException"/> on invalid Unicode.</summary>
    private static void EnsureValidText(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, value) in o) EnsureValidText(value);
                break;
            case JsonArray a:
                foreach (var item in a) EnsureValidText(item);
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                _ = v.GetValue<string>();
                break;
        }
    }

    private static ApiProblemException TooLarge(long maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, $"request body exceeds the limit of {maxBytes} bytes");

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase))
        && (!media.Charset.HasValue || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));
}
