using System.Security.Claims;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LightS3.Auth;

/// <summary>
/// Reads a validated token's claims with their JSON types, which the claims of a <see cref="ClaimsIdentity"/> flatten
/// away (<c>"true"</c>, <c>["true"]</c> and <c>true</c> all become a claim valued "true"): <c>sub</c> must be a non-empty
/// string, <c>exp</c>/<c>nbf</c>/<c>iat</c> numbers, and only a JSON <c>true</c> admin claim makes an admin.
/// </summary>
public sealed record TokenClaims(string Subject, bool IsAdmin, string? Problem)
{
    /// <summary>The claims of <paramref name="token"/>; null when its payload is not a JSON object.</summary>
    public static TokenClaims? Read(JsonWebToken token, string adminClaim)
    {
        try
        {
            using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(token.EncodedPayload));
            if (payload.RootElement.ValueKind != JsonValueKind.Object) return null;
            var root = payload.RootElement;
            var subject = root.TryGetProperty("sub", out var sub) && sub.ValueKind == JsonValueKind.String ? sub.GetString() ?? "" : "";
            var isAdmin = root.TryGetProperty(adminClaim, out var admin) && admin.ValueKind == JsonValueKind.True;
            string? problem = null;
            foreach (var time in new[] { "exp", "nbf", "iat" })
                if (root.TryGetProperty(time, out var value) && value.ValueKind != JsonValueKind.Number) problem = $"'{time}' must be a number";
            if (subject.Length == 0) problem = "token has no subject ('sub' must be a non-empty string)";
            return new TokenClaims(subject, isAdmin, problem);
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The admin claim as the scheme puts it on a principal: one boolean <c>true</c>.</summary>
    public static Claim AdminClaim(string name) => new(name, "true", ClaimValueTypes.Boolean);

    /// <summary>Whether <paramref name="user"/> is an admin: exactly one <paramref name="name"/> claim, the boolean <c>true</c>.</summary>
    public static bool HasAdminClaim(ClaimsPrincipal user, string name) =>
        user.Identity?.IsAuthenticated == true
        && user.FindAll(name).ToList() is [{ Value: "true", ValueType: ClaimValueTypes.Boolean }];

    /// <summary>
    /// Whether <paramref name="user"/> is a LightS3 admin: the boolean admin claim (<see cref="HasAdminClaim"/>), or — for a
    /// caller identified by another scheme than LightS3's own (the host's JwtBearer) — one of <see cref="JwtOptions.AdminRoles"/>
    /// as a role. A LightS3-issued token never becomes admin through a role claim.
    /// </summary>
    public static bool IsAdministrator(ClaimsPrincipal user, JwtOptions jwt) =>
        HasAdminClaim(user, jwt.AdminClaim)
        || (jwt.AdminRoles.Count > 0 && user.Identity is { IsAuthenticated: true, AuthenticationType: var type }
            && type != JwtAuthenticationHandler.SchemeName && jwt.AdminRoles.Any(user.IsInRole));
}
