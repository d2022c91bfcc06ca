using System.Security.Claims;
using System.Text.Encodings.Web;
using LightS3.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LightS3.Auth;

/// <summary>
/// ASP.NET Core authentication scheme for <c>Authorization: Bearer &lt;jwt&gt;</c>, validated with
/// Microsoft.IdentityModel.JsonWebTokens (the JwtBearer package for .NET 10 is not available here).
/// The principal reaches hooks and querysets as <c>Context.User</c>. Failures never log the token.
/// </summary>
public sealed class JwtAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> schemes, ILoggerFactory logger, UrlEncoder encoder,
    IOptions<LightS3Options> options) : AuthenticationHandler<AuthenticationSchemeOptions>(schemes, logger, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "LightS3Jwt";

    private static readonly JsonWebTokenHandler Tokens = new() { MapInboundClaims = false };
    private TokenValidationParameters? _parameters;

    /// <summary>Why authentication failed, for the WWW-Authenticate header (never the token itself).</summary>
    public const string FailureItem = "lights3.auth.failure";

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return Fail("authorization scheme must be Bearer");
        var token = header["Bearer ".Length..].Trim();
        if (token.Length == 0 || token.Length > 8192) return Fail("malformed token");
        _parameters ??= JwtKeys.Parameters(options.Value.Jwt);
        var result = await Tokens.ValidateTokenAsync(token, _parameters);
        if (!result.IsValid) return Fail(Describe(result.Exception));
        // tokens the auth module issued carry a session: it must still be live (logout, reuse, deleted user)
        if (result.ClaimsIdentity.FindFirst("sid")?.Value is { } sid && Context.RequestServices.GetService<Module.AuthService>() is { } module
            && !await module.IsSessionValidAsync(result.ClaimsIdentity.FindFirst("sub")?.Value ?? "", sid,
                long.TryParse(result.ClaimsIdentity.FindFirst("iat")?.Value, out var iat) ? iat : 0, Context.RequestAborted))
            return Fail("session revoked");
        var identity = new ClaimsIdentity(result.ClaimsIdentity.Claims, SchemeName, "sub", "role");
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[FailureItem] = reason;
        Logger.LogInformation("bearer token rejected: {Reason}", reason);
        return AuthenticateResult.Fail(reason);
    }

    private static string Describe(Exception? e) => e switch
    {
        SecurityTokenExpiredException => "token expired",
        SecurityTokenNotYetValidException => "token not yet valid",
        SecurityTokenInvalidIssuerException => "wrong issuer",
        SecurityTokenInvalidAudienceException => "wrong audience",
        SecurityTokenInvalidAlgorithmException => "algorithm not accepted",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "invalid signature",
        SecurityTokenNoExpirationException => "token has no expiry",
        _ => "invalid token",
    };
}
