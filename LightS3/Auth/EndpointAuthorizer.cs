using System.Security.Claims;
using LightS3.Auth.Authorization;
using LightS3.Documents;
using LightS3.Http;
using LightS3.Model;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace LightS3.Auth;

/// <summary>
/// Applies an endpoint's <see cref="AuthSpec"/> to a request: authenticates the bearer token explicitly with LightS3's
/// named scheme (whatever the host's default scheme is), then asks the verb's permission. 401 (with <c>WWW-Authenticate: Bearer</c>)
/// when credentials are missing or invalid, 403 when the caller is known but not permitted. Permissions are evaluated as
/// <see cref="PermissionRequirement"/>s through ASP.NET Core's <see cref="IAuthorizationService"/> (see docs/auth.md).
/// </summary>
internal sealed class EndpointAuthorizer
{
    private readonly EndpointModel _model;
    private readonly JwtOptions _jwt;
    private readonly Dictionary<HttpVerbs, IPermission> _permissions = new();
    private readonly Dictionary<HttpVerbs, PermissionRequirement> _requirements = new();
    private readonly IReadOnlyList<string> _schemes;
    private readonly IAuthorizationService _authorization;

    /// <summary>
    /// Resolves every verb's permission up front, failing at registration for a bad setup. <paramref name="schemes"/> are
    /// the authentication schemes that identify callers, tried in order (default: LightS3's own).
    /// </summary>
    public EndpointAuthorizer(EndpointModel model, JwtOptions jwt, PermissionRegistry registry, IAuthorizationService authorization, IReadOnlyList<string>? schemes = null)
    {
        _model = model;
        _jwt = jwt;
        _authorization = authorization;
        _schemes = schemes is { Count: > 0 } ? schemes : [JwtAuthenticationHandler.SchemeName];
        var spec = model.Authentication ?? AuthSpec.Open;
        foreach (var verb in new[] { HttpVerbs.Get, HttpVerbs.Post, HttpVerbs.Put, HttpVerbs.Patch, HttpVerbs.Delete })
        {
            _permissions[verb] = registry.Resolve(spec.For(verb), model.Source);
            _requirements[verb] = new PermissionRequirement(_permissions[verb], model, verb);
        }
        // refuse to start without a usable key, when LightS3's own tokens are what identifies callers
        if (_permissions.Values.Any(p => p.RequiresAuthentication) && _schemes.Contains(JwtAuthenticationHandler.SchemeName)) JwtKeys.Parameters(jwt);
    }

    /// <summary>The permission of a verb.</summary>
    public IPermission For(HttpVerbs verb) => _permissions[verb];

    /// <summary>Null when the request may proceed, else the 401/403 problem to answer with.</summary>
    public async Task<IResult?> AuthorizeAsync(HttpContext http, HttpVerbs verb)
    {
        var permission = _permissions[verb];
        if (await AuthenticateAsync(http, permission.RequiresAuthentication) is { } failed) return failed;
        var context = new PermissionContext(http, _model, verb, _jwt);
        if (permission.RequiresAuthentication && !context.IsAuthenticated) return Unauthorized(http, null);
        if (permission is AllowAny) return null; // nothing can refuse it: spare the open verbs the authorization service
        if ((await _authorization.AuthorizeAsync(http.User, context, _requirements[verb])).Succeeded) return null;
        // as ASP.NET Core challenges rather than forbids an anonymous caller a policy refuses
        return !context.IsAuthenticated && permission is PolicyPermission ? Unauthorized(http, null) : Forbidden();
    }

    /// <summary>Null when the caller is an admin (<see cref="IsAdminUser"/>), else the 401/403 problem: for the collection's admin operations.</summary>
    public async Task<IResult?> AuthorizeAdminAsync(HttpContext http)
    {
        if (await AuthenticateAsync(http, requiresAuthentication: true) is { } failed) return failed;
        if (http.User.Identity?.IsAuthenticated != true) return Unauthorized(http, null);
        return await IsAdminAsync(http) ? null : Forbidden();
    }

    /// <summary>Identifies the caller with the schemes, in order; the 401 problem when the credentials sent are refused.</summary>
    private async Task<IResult?> AuthenticateAsync(HttpContext http, bool requiresAuthentication)
    {
        var hasCredentials = http.Request.Headers.Authorization.Count > 0;
        // the caller is whoever LightS3's own scheme says, never a principal a host's scheme (a cookie) put on the request
        http.User = new ClaimsPrincipal(new ClaimsIdentity());
        if (!hasCredentials || !(requiresAuthentication || _jwt.IsConfigured || _schemes.Count > 1 || _schemes[0] != JwtAuthenticationHandler.SchemeName))
            return null;
        string? failure = null;
        foreach (var scheme in _schemes)
        {
            var result = await http.AuthenticateAsync(scheme);
            if (result.Succeeded)
            {
                http.User = result.Principal;
                return null;
            }
            failure ??= scheme == JwtAuthenticationHandler.SchemeName
                ? http.Items[JwtAuthenticationHandler.FailureItem] as string ?? "invalid token"
                : "invalid token"; // a host scheme's failure text is multi-line and detailed: neither header-safe nor for clients
        }
        return Unauthorized(http, failure);
    }

    /// <summary>Throws a 403 problem unless the verb's permission allows acting on <paramref name="record"/>.</summary>
    public async Task EnsureObjectPermissionAsync(HttpContext http, HttpVerbs verb, Record record)
    {
        if (!await MayAsync(http, verb, record)) throw new ApiProblemException(StatusCodes.Status403Forbidden, Problems.PermissionDenied);
    }

    /// <summary>Whether the verb's object-level permission allows acting on <paramref name="record"/>.</summary>
    public async ValueTask<bool> MayAsync(HttpContext http, HttpVerbs verb, Record record)
    {
        if (!ChecksObjects(verb)) return true; // the built-ins never refuse a record: the hot GET path stays free of it
        var access = new RecordAccess(new PermissionContext(http, _model, verb, _jwt), record);
        return (await _authorization.AuthorizeAsync(http.User, access, _requirements[verb])).Succeeded;
    }

    /// <summary>Whether the caller (authenticated by <see cref="AuthorizeAsync"/>) passes <see cref="IsAdminUser"/>.</summary>
    public ValueTask<bool> IsAdminAsync(HttpContext http, HttpVerbs verb = HttpVerbs.Get) => Admin.HasPermissionAsync(new PermissionContext(http, _model, verb, _jwt));

    private static readonly IsAdminUser Admin = new();

    /// <summary>Whether a verb's permission may refuse individual records (so deletes must read the record first).</summary>
    public bool ChecksObjects(HttpVerbs verb) => _permissions[verb] is not (AllowAny or IsAuthenticated or IsAdminUser or PolicyPermission);

    private static IResult Unauthorized(HttpContext http, string? reason)
    {
        http.Response.Headers.WWWAuthenticate = reason is null ? "Bearer" : $"Bearer error=\"invalid_token\", error_description=\"{reason}\"";
        return Problems.Create(StatusCodes.Status401Unauthorized, reason is null ? "Authentication credentials were not provided." : "Authentication credentials invalid.");
    }

    private static IResult Forbidden() =>
        Problems.Create(StatusCodes.Status403Forbidden, Problems.PermissionDenied);
}
