using System.Security.Cryptography;
using System.Text;
using LightS3.Model;
using Microsoft.IdentityModel.Tokens;

namespace LightS3.Auth;

/// <summary>Builds the validation parameters from <see cref="JwtOptions"/>, refusing weak or missing keys at startup.</summary>
internal static class JwtKeys
{
    /// <summary>The validation parameters; throws <see cref="ConfigurationException"/> (without the secret) on a bad setup.</summary>
    public static TokenValidationParameters Parameters(JwtOptions o)
    {
        if (!o.IsConfigured)
            throw new ConfigurationException("JWT authentication is used but no key is configured: set LIGHTS3_JWT_SECRET (HS256, at least 32 bytes) or LIGHTS3_JWT_PUBLIC_KEY (RS256/ES256)");
        SecurityKey key;
        string algorithm;
        if (!string.IsNullOrEmpty(o.PublicKeyPem))
        {
            algorithm = o.Algorithm ?? "RS256";
            key = algorithm switch
            {
                "RS256" => new RsaSecurityKey(Import(RSA.Create(), o.PublicKeyPem)),
                "ES256" => new ECDsaSecurityKey(Import(ECDsa.Create(), o.PublicKeyPem)),
                _ => throw new ConfigurationException($"JWT algorithm '{algorithm}' is not supported with a public key (use RS256 or ES256)"),
            };
        }
        else
        {
            algorithm = o.Algorithm ?? "HS256";
            if (algorithm != "HS256") throw new ConfigurationException($"JWT algorithm '{algorithm}' needs a public key; a secret means HS256");
            var bytes = Encoding.UTF8.GetBytes(o.Secret!);
            if (bytes.Length < 32) throw new ConfigurationException($"LIGHTS3_JWT_SECRET is too short: HS256 needs at least 32 bytes (got {bytes.Length})");
            key = new SymmetricSecurityKey(bytes);
        }
        return new TokenValidationParameters
        {
            IssuerSigningKey = key,
            ValidAlgorithms = [algorithm],
            ValidateIssuerSigningKey = true,
            ValidateIssuer = !string.IsNullOrEmpty(o.Issuer),
            ValidIssuer = o.Issuer,
            ValidateAudience = !string.IsNullOrEmpty(o.Audience),
            ValidAudience = o.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = o.ClockSkew,
            NameClaimType = "sub",
        };
    }

    private static T Import<T>(T algorithm, string pem) where T : AsymmetricAlgorithm
    {
        try
        {
            algorithm.ImportFromPem(pem);
            return algorithm;
        }
        catch (ArgumentException)
        {
            throw new ConfigurationException("LIGHTS3_JWT_PUBLIC_KEY is not a valid PEM public key");
        }
    }
}
