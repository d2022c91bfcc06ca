using System.Security.Claims;
using System.Text.Encodings.Web;
using LightS3.Auth.Module;
using LightS3.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using LightS3.Diagnostics;

namespace LightS3.Auth;

/// <summary>
/// ASP.NET Core authentication scheme for <c>Authorization: Bearer &lt;jwt&gt;</c>, validated with
/// Microsoft.IdentityModel.JsonWebTokens (the JwtBearer package for .NET 10 is not available here).
/// The scheme is named (<see cref="SchemeName"/>) and never the host's default: LightS3 endpoints authenticate with it
/// explicitly. Claims are checked with their JSON types (<see cref="TokenClaims"/>). Tokens the auth module issued
/// (with <see cref="AuthService.SessionClaim"/>) are checked against their session when the module is mapped.
/// The principal reaches hooks and querysets as <c>Context.User</c>. Failures never log the token.
/// </summary>
public sealed class JwtAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> schemes, ILoggerFactory logger, UrlEncoder encoder,
    IOptions<LightS3Options> options) : AuthenticationHandler<AuthenticationSchemeOptions>(schemes, logger, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "LightS3Jwt";

    private static readonly JsonWebTokenHandler Tokens = new() { MapInboundClaims = false };
    // the handler is created per request: validation parameters (and their RSA/EC key objects) are built once per
    // options instance — one per app — instead of on every request
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<JwtOptions, TokenValidationParameters> Parameters = new();

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
        var jwt = options.Value.Jwt;
        var result = await Tokens.ValidateTokenAsync(token, Parameters.GetValue(jwt, JwtKeys.Parameters));
        if (!result.IsValid) return Fail(Describe(result.Exception));
        if (TokenClaims.Read((JsonWebToken)result.SecurityToken, jwt.AdminClaim) is not { } claims) return Fail("malformed claims");
        if (claims.Problem is { } problem) return Fail(problem);

        var isAdmin = claims.IsAdmin;
        // only tokens the module issued carry a session, and only an app that maps the module checks it
        if (result.ClaimsIdentity.FindFirst(AuthService.SessionClaim)?.Value is { } sid
            && Context.RequestServices.GetService<MappedAuthModule>()?.Service is { } module)
        {
            var session = await module.CheckSessionAsync(claims.Subject, sid, Context.RequestAborted);
            if (!session.IsValid) return Fail("session revoked");
            isAdmin = session.IsAdmin; // the user record as of now: a demotion applies at once
        }
        var identity = new ClaimsIdentity(result.ClaimsIdentity.Claims.Where(c => c.Type != jwt.AdminClaim), SchemeName, "sub", "role");
        if (isAdmin) identity.AddClaim(TokenClaims.AdminClaim(jwt.AdminClaim));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>
    /// Keeps the scheme out of the host's defaults. ASP.NET Core makes a lone scheme the default: LightS3's must not be
    /// it (then authentication would run for every request of the host, before its exception handling), and must not
    /// take a host's lone scheme's place either. Explicit defaults of the host are left alone.
    /// </summary>
    internal static void KeepOutOfHostDefaults(AuthenticationOptions o)
    {
        if (o.DefaultScheme is not null) return;
        var hostSchemes = o.Schemes.Select(s => s.Name).Where(n => n != SchemeName).ToList();
        o.DefaultScheme = hostSchemes.Count switch
        {
            1 => hostSchemes[0], // what the host would have had without LightS3
            0 => NoScheme,       // a name no scheme has: no default at all, as in an app without schemes
            _ => null,           // several schemes: ASP.NET Core picks no default anyway
        };
    }

    /// <summary>
    /// A 401 problem (with <c>WWW-Authenticate: Bearer</c> and why the token was refused), as LightS3 endpoints answer:
    /// routes that use the scheme through <c>RequireAuthorization</c> (the dead-letter routes, a host's routes with
    /// <see cref="Authorization.LightS3Policies"/>) get a <c>detail</c> instead of an empty body.
    /// </summary>
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = Context.Items[FailureItem] as string;
        Response.StatusCode = 401;
        Response.Headers.WWWAuthenticate = failure is null ? "Bearer" : $"Bearer error=\"invalid_token\", error_description=\"{failure}\"";
        return Response.HasStarted ? Task.CompletedTask
            : Http.Problems.Create(401, failure is null ? "Authentication credentials were not provided." : "Authentication credentials invalid.").ExecuteAsync(Context);
    }

    /// <summary>A 403 problem with LightS3's permission-denied <c>detail</c>.</summary>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 403;
        return Response.HasStarted ? Task.CompletedTask : Http.Problems.Create(403, Http.Problems.PermissionDenied).ExecuteAsync(Context);
    }

    /// <summary>A default-scheme name that matches no scheme (there is no other way to turn the lone-scheme default off per app).</summary>
    internal const string NoScheme = "";

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[FailureItem] = reason;
        Logger.TokenRejected(reason);
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
