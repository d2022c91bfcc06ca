namespace LightS3;

/// <summary>
/// How bearer tokens are validated (<c>LightS3:Jwt</c>, or <c>LIGHTS3_JWT_SECRET</c> / <c>LIGHTS3_JWT_PUBLIC_KEY</c> /
/// <c>LIGHTS3_JWT_ISSUER</c> / <c>LIGHTS3_JWT_AUDIENCE</c>). Exactly one algorithm is accepted, so
/// <c>alg: none</c> and algorithm-confusion tokens are refused.
/// </summary>
public sealed class JwtOptions
{
    /// <summary>HS256 shared secret (at least 32 bytes).</summary>
    public string? Secret { get; set; }

    /// <summary>PEM public key for RS256 or ES256 (set <see cref="Algorithm"/> accordingly).</summary>
    public string? PublicKeyPem { get; set; }

    /// <summary><c>HS256</c> (default with a secret), <c>RS256</c> or <c>ES256</c>.</summary>
    public string? Algorithm { get; set; }

    /// <summary>Required issuer, when set.</summary>
    public string? Issuer { get; set; }

    /// <summary>Required audience, when set.</summary>
    public string? Audience { get; set; }

    /// <summary>Tolerance on exp/nbf.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The claim that makes a caller an admin for <c>IsAdminUser</c> (value <c>true</c>).</summary>
    public string AdminClaim { get; set; } = "is_admin";

    /// <summary>
    /// Roles that make a caller identified by a host scheme (e.g. an identity provider's JwtBearer, see
    /// <see cref="LightS3Options.AuthenticationSchemes"/>) an admin for <see cref="IsAdminUser"/>, read with the
    /// identity's role claim type (<c>LightS3:Jwt:AdminRoles</c>, <c>LIGHTS3_ADMIN_ROLES=admin,ops</c>). Empty by default.
    /// </summary>
    public IList<string> AdminRoles { get; set; } = [];

    /// <summary>Whether a key is configured.</summary>
    public bool IsConfigured => !string.IsNullOrEmpty(Secret) || !string.IsNullOrEmpty(PublicKeyPem);
}
