using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LightS3.Tests.Support;

/// <summary>Issues test JWTs, good and deliberately bad.</summary>
public static class Tokens
{
    public const string Secret = "test-secret-that-is-long-enough-for-hs256-0123456789";
    public const string Issuer = "https://issuer.test";
    public const string Audience = "lights3-tests";
    private static readonly JsonWebTokenHandler Handler = new();

    public static string Create(string subject, bool admin = false, DateTime? expires = null, DateTime? notBefore = null,
        string issuer = Issuer, string audience = Audience, string secret = Secret, IDictionary<string, object>? extra = null)
    {
        var claims = new Dictionary<string, object> { ["sub"] = subject };
        if (admin) claims["is_admin"] = true;
        foreach (var (k, v) in extra ?? new Dictionary<string, object>()) claims[k] = v;
        var now = DateTime.UtcNow;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            Issuer = issuer,
            Audience = audience,
            IssuedAt = (notBefore ?? now).AddSeconds(-1),
            NotBefore = notBefore ?? now.AddSeconds(-1),
            Expires = expires ?? now.AddMinutes(10),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>An unsigned token (<c>alg: none</c>) with otherwise valid claims.</summary>
    public static string Unsigned(string subject)
    {
        static string B64(string s) => Base64UrlEncoder.Encode(s);
        var exp = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds();
        return $"{B64("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{B64($"{{\"sub\":\"{subject}\",\"is_admin\":true,\"iss\":\"{Issuer}\",\"aud\":\"{Audience}\",\"exp\":{exp}}}")}.";
    }

    /// <summary>A valid token whose payload is then edited (signature no longer matches).</summary>
    public static string Tampered(string subject)
    {
        var parts = Create(subject).Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace($"\"sub\":\"{subject}\"", "\"sub\":\"admin\",\"is_admin\":true");
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";
    }

    /// <summary>
    /// An HS256 token over exactly <paramref name="payloadJson"/> (no claim added or retyped), for claims of the wrong
    /// JSON type: <c>"exp": "…"</c>, <c>"is_admin": "true"</c>, a missing <c>sub</c>.
    /// </summary>
    public static string Signed(string payloadJson, string secret = Secret)
    {
        var signingInput = $"{Base64UrlEncoder.Encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}")}.{Base64UrlEncoder.Encode(payloadJson)}";
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(signingInput));
        return $"{signingInput}.{Base64UrlEncoder.Encode(signature)}";
    }

    /// <summary>Seconds since the epoch, <paramref name="offset"/> from now (for hand-written payloads).</summary>
    public static long UnixTime(TimeSpan offset = default) => DateTimeOffset.UtcNow.Add(offset).ToUnixTimeSeconds();

    /// <summary>An RSA key pair; the public half in PEM.</summary>
    public static (RSA Key, string PublicPem) Rsa()
    {
        var rsa = RSA.Create(2048);
        return (rsa, rsa.ExportSubjectPublicKeyInfoPem());
    }

    public static string CreateRs256(RSA key, string subject, IDictionary<string, object>? extra = null) => Handler.CreateToken(new SecurityTokenDescriptor
    {
        Claims = new Dictionary<string, object>(extra ?? new Dictionary<string, object>()) { ["sub"] = subject },
        Issuer = Issuer,
        Audience = Audience,
        Expires = DateTime.UtcNow.AddMinutes(10),
        SigningCredentials = new SigningCredentials(new RsaSecurityKey(key), SecurityAlgorithms.RsaSha256),
    });

    /// <summary>Algorithm confusion: an HS256 token whose HMAC key is the server's RSA public key text.</summary>
    public static string HmacWithPublicKey(string publicPem, string subject) => Create(subject, admin: true, secret: publicPem);
}
