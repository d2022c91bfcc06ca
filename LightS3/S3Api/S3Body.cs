using System.Security.Cryptography;
using LightS3.S3Api.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace LightS3.S3Api;

/// <summary>
/// Reads a request body as the signature vouches for it: a declared SHA-256 is checked, <c>aws-chunked</c> bodies are
/// decoded with their chunk signatures checked, then Content-MD5 and <c>x-amz-checksum-*</c> (headers or trailers).
/// Bodies are bounded by <see cref="S3ApiOptions.MaxObjectSize"/>: the store takes whole objects.
/// </summary>
internal static class S3Body
{
    public static async Task<byte[]> ReadAsync(HttpContext context, S3Caller caller, long maxSize, CancellationToken ct)
    {
        var request = context.Request;
        var chunked = AwsChunked.IsChunked(caller.PayloadHash);
        var declared = chunked && long.TryParse(request.Headers["x-amz-decoded-content-length"], out var d) ? d : request.ContentLength ?? 0;
        if (declared > maxSize) throw new S3Exception(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size.");
        var limit = chunked ? maxSize + (maxSize / 1024) + 64 * 1024 : maxSize; // chunk headers add ~90 bytes per chunk
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = limit + 1;
        var raw = await ReadAllAsync(request.Body, limit, ct);
        if (request.ContentLength is { } length && raw.Length != length)
            throw new S3Exception(400, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header.");
        byte[] data;
        Func<string, string?> headers = name => request.Headers.TryGetValue(name, out var v) ? v.ToString() : null;
        if (chunked)
        {
            var (decoded, trailers) = AwsChunked.Decode(raw, caller);
            data = decoded;
            var requestHeaders = headers;
            headers = name => trailers.TryGetValue(name, out var v) ? v : requestHeaders(name);
        }
        else
        {
            data = raw;
            if (caller.PayloadHash.Length == 64 && !SigV4Crypto.Same(SigV4Crypto.Hex(SHA256.HashData(data)), caller.PayloadHash))
                throw new S3Exception(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }
        S3Checksums.Verify(data, headers);
        return data;
    }

    private static async Task<byte[]> ReadAllAsync(Stream body, long limit, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + n > limit) throw new S3Exception(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size.");
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }
}
