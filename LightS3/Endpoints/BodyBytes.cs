using LightS3.Http;
using Microsoft.AspNetCore.Http;

namespace LightS3.Endpoints;

/// <summary>Reads a request body into memory, refusing (413) more than a limit before it is all read.</summary>
internal static class BodyBytes
{
    public static async Task<byte[]> ReadAsync(HttpContext http, long maxBytes)
    {
        if (http.Request.ContentLength > maxBytes) throw TooLarge(maxBytes);
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBytes) throw TooLarge(maxBytes);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static ApiProblemException TooLarge(long maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, $"request body exceeds the limit of {maxBytes} bytes");
}
