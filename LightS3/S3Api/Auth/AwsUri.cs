using System.Text;

namespace LightS3.S3Api.Auth;

/// <summary>Signature V4's URI encoding: every byte but the unreserved characters as <c>%XX</c> (uppercase), on UTF-8 bytes.</summary>
internal static class AwsUri
{
    public static string Encode(ReadOnlySpan<byte> bytes, bool keepSlash)
    {
        var sb = new StringBuilder(bytes.Length + 8);
        foreach (var b in bytes)
        {
            var c = (char)b;
            if (c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '.' or '_' or '~' || (keepSlash && c == '/'))
                sb.Append(c);
            else
                sb.Append('%').Append(Convert.ToHexString([b]));
        }
        return sb.ToString();
    }

    public static string Encode(string text, bool keepSlash) => Encode(Encoding.UTF8.GetBytes(text), keepSlash);

    /// <summary>Percent-decodes to bytes (a malformed <c>%</c> stays literal; <c>+</c> stays <c>+</c>).</summary>
    public static byte[] Decode(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var output = new byte[bytes.Length];
        var n = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '%' && i + 2 < bytes.Length && IsHex(bytes[i + 1]) && IsHex(bytes[i + 2]))
            {
                output[n++] = Convert.FromHexString([(char)bytes[i + 1], (char)bytes[i + 2]])[0];
                i += 2;
            }
            else output[n++] = bytes[i];
        }
        return output[..n];
    }

    private static bool IsHex(byte b) => b is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>Decoded text, or null when the bytes are not valid UTF-8.</summary>
    public static string? DecodeUtf8(string text)
    {
        try
        {
            return StrictUtf8.GetString(Decode(text));
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
