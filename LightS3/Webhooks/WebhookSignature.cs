using System.Security.Cryptography;
using System.Text;

namespace LightS3.Webhooks;

/// <summary>
/// Signatures in the Standard Webhooks form (https://www.standardwebhooks.com): headers <c>webhook-id</c>,
/// <c>webhook-timestamp</c> (Unix seconds) and <c>webhook-signature: v1,&lt;base64 HMAC-SHA256 of
/// "{id}.{timestamp}.{body}"&gt;</c>, so receivers can verify with any Standard Webhooks (or Svix) library.
/// </summary>
internal static class WebhookSignature
{
    /// <summary>The message id header (the same across retries: receivers dedupe on it).</summary>
    public const string IdHeader = "webhook-id";

    /// <summary>The Unix-seconds timestamp header (fresh per attempt).</summary>
    public const string TimestampHeader = "webhook-timestamp";

    /// <summary>The signature header: space-separated <c>v1,&lt;base64&gt;</c> entries.</summary>
    public const string SignatureHeader = "webhook-signature";

    private const string SecretPrefix = "whsec_";

    /// <summary>The HMAC key of a secret: the base64 after <c>whsec_</c>, else the secret's UTF-8 bytes.</summary>
    public static byte[] KeyOf(string secret) =>
        secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? Convert.FromBase64String(secret[SecretPrefix.Length..]) : Encoding.UTF8.GetBytes(secret);

    /// <summary>Why <paramref name="secret"/> is unusable, or null.</summary>
    public static string? KeyProblem(string secret)
    {
        if (secret.Length == 0) return "must not be empty";
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal)) return null;
        try
        {
            return Convert.FromBase64String(secret[SecretPrefix.Length..]).Length == 0 ? "no key after 'whsec_'" : null;
        }
        catch (FormatException)
        {
            return "the part after 'whsec_' is not base64";
        }
    }

    /// <summary>The <c>webhook-signature</c> value of one message: <c>v1,</c> and the base64 HMAC-SHA256.</summary>
    public static string Sign(string secret, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(KeyOf(secret), signed));
    }

    /// <summary>
    /// Verifies a received message as a receiver would: one of the <c>v1</c> signatures in
    /// <paramref name="signatureHeader"/> matches (constant-time), and the timestamp is within
    /// <paramref name="tolerance"/> of <paramref name="now"/> (replay protection).
    /// </summary>
    public static bool Verify(string secret, string id, string timestampHeader, string signatureHeader, ReadOnlySpan<byte> body,
        DateTimeOffset now, TimeSpan tolerance)
    {
        if (!long.TryParse(timestampHeader, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var timestamp)) return false;
        if ((now - DateTimeOffset.FromUnixTimeSeconds(timestamp)).Duration() > tolerance) return false;
        var expected = Encoding.ASCII.GetBytes(Sign(secret, id, timestamp, body));
        foreach (var candidate in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(candidate), expected)) return true;
        return false;
    }
}
