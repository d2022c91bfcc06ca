using System.Security.Claims;
using LightS3.Documents;
using LightS3.Http;
using LightS3.Model;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace LightS3.Auth;

/// <summary>
/// Applies an endpoint's <see cref="AuthSpec"/> to a request: authenticates the bearer token explicitly with LightS3's
/// named scheme (whatever the host's default scheme is), then asks the verb's permission. 401 (with <c>WWW-Authenticate: Bearer</c>)
/// when credentials are missing or invalid, 403 when the caller is known but not permitted.
/// </summary>
public sealed class EndpointAuthorizer
{
    private readonly EndpointModel _model;
    private readonly JwtOptions _jwt;
    private readonly Dictionary<HttpVerbs, IPermission> _permissions = new();
    private readonly IReadOnlyList<string> _schemes;

    /// <summary>
    /// Resolves every verb's permission up front, failing at registration for a bad setup. <paramref name="schemes"/> are
    /// the authentication schemes that identify callers, tried in order (default: LightS3's own).
    /// </summary>
    public EndpointAuthorizer(EndpointModel model, JwtOptions jwt, PermissionRegistry registry, IReadOnlyList<string>? schemes = null)
    {
        _model = model;
        _jwt = jwt;
        _schemes = schemes is { Count: > 0 } ? schemes : [JwtAuthenticationHandler.SchemeName];
        var spec = model.Authentication ?? AuthSpec.Open;
        foreach (var verb in new[] { HttpVerbs.Get, HttpVerbs.Post, HttpVerbs.Put, HttpVerbs.Patch, HttpVerbs.Delete })
            _permissions[verb] = registry.Resolve(spec.For(verb), model.Source);
        // refuse to start without a usable key, when LightS3's own tokens are what identifies callers
        if (_permissions.Values.Any(p => p.RequiresAuthentication) && _schemes.Contains(JwtAuthenticationHandler.SchemeName)) JwtKeys.Parameters(jwt);
    }

    /// <summary>The permission of a verb.</summary>
    public IPermission For(HttpVerbs verb) => _permissions[verb];

    /// <summary>Null when the request may proceed, else the 401/403 problem to answer with.</summary>
    public async Task<IResult?> AuthorizeAsync(HttpContext http, HttpVerbs verb)
    {
        var permission = _permissions[verb];
        var hasCredentials = http.Request.Headers.Authorization.Count > 0;
        // the caller is whoever LightS3's own scheme says, never a principal a host's scheme (a cookie) put on the request
        http.User = new ClaimsPrincipal(new ClaimsIdentity());
        if (!hasCredentials && permission is AllowAny) return null; // the common open read: nothing to check
        if (hasCredentials && (permission.RequiresAuthentication || _jwt.IsConfigured || _schemes.Count > 1 || _schemes[0] != JwtAuthenticationHandler.SchemeName))
        {
            string? failure = null;
            foreach (var scheme in _schemes)
            {
                var result = await http.AuthenticateAsync(scheme);
                if (result.Succeeded)
                {
                    http.User = result.Principal;
                    failure = null;
                    break;
                }
                failure ??= scheme == JwtAuthenticationHandler.SchemeName
                    ? http.Items[JwtAuthenticationHandler.FailureItem] as string ?? "invalid token"
                    : "invalid token"; // a host scheme's failure text is multi-line and detailed: neither header-safe nor for clients
            }
            if (failure is not null) return Unauthorized(http, failure);
        }
        var context = new PermissionContext(http, _model, verb, _jwt);
        if (permission.RequiresAuthentication && !context.IsAuthenticated) return Unauthorized(http, null);
        return await permission.HasPermissionAsync(context) ? null : Forbidden();
    }

    /// <summary>Throws a 403 problem unless the verb's permission allows acting on <paramref name="record"/>.</summary>
    public async Task EnsureObjectPermissionAsync(HttpContext http, HttpVerbs verb, Record record)
    {
        if (!await _permissions[verb].HasObjectPermissionAsync(new PermissionContext(http, _model, verb, _jwt), record))
            throw new ApiProblemException(StatusCodes.Status403Forbidden, Problems.PermissionDenied);
    }

    /// <summary>Whether the caller (authenticated by <see cref="AuthorizeAsync"/>) passes <see cref="IsAdminUser"/>.</summary>
    public ValueTask<bool> IsAdminAsync(HttpContext http, HttpVerbs verb) => new IsAdminUser().HasPermissionAsync(new PermissionContext(http, _model, verb, _jwt));

    /// <summary>Whether a verb's permission may refuse individual records (so deletes must read the record first).</summary>
    public bool ChecksObjects(HttpVerbs verb) => _permissions[verb] is not (AllowAny or IsAuthenticated or IsAdminUser);

    private static IResult Unauthorized(HttpContext http, string? reason)
    {
        http.Response.Headers.WWWAuthenticate = reason is null ? "Bearer" : $"Bearer error=\"invalid_token\", error_description=\"{reason}\"";
        return Problems.Create(StatusCodes.Status401Unauthorized, reason is null ? "Authentication credentials were not provided." : "Authentication credentials invalid.");
    }

    private static IResult Forbidden() =>
        Problems.Create(StatusCodes.Status403Forbidden, Problems.PermissionDenied);
}
