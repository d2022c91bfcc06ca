using System.Security.Cryptography;
using System.Text;

namespace LightS3.S3Api.Auth;

/// <summary>The hashing and key derivation of Signature V4.</summary>
internal static class SigV4Crypto
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public static readonly string EmptySha256 = Hex(SHA256.HashData([]));

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    public static string Sha256Hex(string text) => Hex(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    public static byte[] SigningKey(string secret, string date, string region, string service)
    {
        var k = Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), date);
        k = Hmac(k, region);
        k = Hmac(k, service);
        return Hmac(k, "aws4_request");
    }

    public static string Sign(byte[] signingKey, string stringToSign) => Hex(Hmac(signingKey, stringToSign));

    /// <summary>Compares signatures in constant time.</summary>
    public static bool Same(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b.ToLowerInvariant()));
}
