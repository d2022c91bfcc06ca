using System.Security.Cryptography;
using System.Text;

namespace LightS3.S3Api.Auth;

/// <summary>
/// Decodes an <c>aws-chunked</c> body (<c>size;chunk-signature=sig\r\ndata\r\n</c>… then trailers) as the AWS SDKs send
/// it, verifying each chunk's signature against the chain seeded by the request's own signature.
/// </summary>
internal static class AwsChunked
{
    public const string Signed = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    public const string SignedTrailer = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    public const string UnsignedTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

    public static bool IsChunked(string payload) => payload is Signed or SignedTrailer or UnsignedTrailer;

    /// <summary>The decoded bytes and the trailing headers (e.g. <c>x-amz-checksum-crc32</c>).</summary>
    public static (byte[] Data, Dictionary<string, string> Trailers) Decode(ReadOnlySpan<byte> body, S3Caller caller)
    {
        var signed = caller.PayloadHash is Signed or SignedTrailer;
        var previous = caller.Signature;
        var output = new MemoryStream();
        var pos = 0;
        while (true)
        {
            var header = ReadLine(body, ref pos) ?? throw Incomplete();
            var semi = header.IndexOf(';');
            var sizeText = semi < 0 ? header : header[..semi];
            if (!int.TryParse(sizeText, System.Globalization.NumberStyles.HexNumber, null, out var size) || size < 0)
                throw S3Exception.InvalidRequest("malformed aws-chunked chunk header");
            if (body.Length - pos < size) throw Incomplete();
            var data = body.Slice(pos, size);
            pos += size;
            if (signed)
            {
                const string marker = "chunk-signature=";
                var at = header.IndexOf(marker, StringComparison.Ordinal);
                if (at < 0) throw S3Exception.InvalidRequest("missing chunk-signature");
                var given = header[(at + marker.Length)..].Trim();
                var toSign = $"AWS4-HMAC-SHA256-PAYLOAD\n{caller.AmzDate}\n{caller.Scope}\n{previous}\n{SigV4Crypto.EmptySha256}\n{SigV4Crypto.Hex(SHA256.HashData(data))}";
                var expected = SigV4Crypto.Sign(caller.SigningKey, toSign);
                if (!SigV4Crypto.Same(expected, given))
                    throw new S3Exception(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided (chunk).");
                previous = expected;
            }
            output.Write(data);
            if (size == 0) break;
            if (ReadLine(body, ref pos) is not "") throw S3Exception.InvalidRequest("malformed aws-chunked chunk terminator");
        }
        var trailers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (ReadLine(body, ref pos) is { Length: > 0 } line)
        {
            var colon = line.IndexOf(':');
            if (colon > 0) trailers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        trailers.Remove("x-amz-trailer-signature");
        return (output.ToArray(), trailers);
    }

    private static S3Exception Incomplete() => new(400, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header.");

    private static string? ReadLine(ReadOnlySpan<byte> body, ref int pos)
    {
        if (pos >= body.Length) return null;
        var rest = body[pos..];
        var end = rest.IndexOf("\r\n"u8);
        if (end < 0) { pos = body.Length; return Encoding.ASCII.GetString(rest); }
        pos += end + 2;
        return Encoding.ASCII.GetString(rest[..end]);
    }
}
