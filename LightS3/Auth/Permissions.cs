using System.Security.Claims;
using LightS3.Auth;
using LightS3.Documents;
using LightS3.Model;
using Microsoft.AspNetCore.Http;

namespace LightS3;

/// <summary>What a permission sees: the request, its caller and the endpoint.</summary>
public sealed record PermissionContext(HttpContext Http, EndpointModel Model, HttpVerbs Verb, JwtOptions Jwt)
{
    /// <summary>The caller.</summary>
    public ClaimsPrincipal User => Http.User;

    /// <summary>Whether the caller presented a valid token.</summary>
    public bool IsAuthenticated => User.Identity?.IsAuthenticated == true;
}

/// <summary>
/// A permission class (LightAPI's <c>permission=</c>). <see cref="HasPermissionAsync"/> runs before the verb;
/// <see cref="HasObjectPermissionAsync"/> runs once the record is loaded (retrieve, update, delete), e.g. owner-only
/// writes. A synchronous permission simply returns a completed <see cref="ValueTask{T}"/>.
/// </summary>
public interface IPermission
{
    /// <summary>Whether the request may proceed at all.</summary>
    ValueTask<bool> HasPermissionAsync(PermissionContext context);

    /// <summary>Whether the caller may act on <paramref name="record"/>.</summary>
    ValueTask<bool> HasObjectPermissionAsync(PermissionContext context, Record record) => ValueTask.FromResult(true);

    /// <summary>Whether this permission needs an authenticated caller (401 instead of 403 when there is none).</summary>
    bool RequiresAuthentication => true;
}

/// <summary>Everyone (the default).</summary>
public sealed class AllowAny : IPermission
{
    /// <inheritdoc />
    public ValueTask<bool> HasPermissionAsync(PermissionContext context) => ValueTask.FromResult(true);

    /// <inheritdoc />
    public bool RequiresAuthentication => false;
}

/// <summary>Any caller with a valid token.</summary>
public sealed class IsAuthenticated : IPermission
{
    /// <inheritdoc />
    public ValueTask<bool> HasPermissionAsync(PermissionContext context) => ValueTask.FromResult(context.IsAuthenticated);
}

/// <summary>
/// Callers whose token has the admin claim as the JSON boolean <c>true</c> (<c>is_admin</c> by default, configurable);
/// <c>"true"</c>, <c>["true"]</c> or <c>1</c> are not admins. For auth-module tokens, the user record's current value;
/// for a host scheme's tokens, also the roles in <see cref="JwtOptions.AdminRoles"/>.
/// </summary>
public sealed class IsAdminUser : IPermission
{
    /// <inheritdoc />
    public ValueTask<bool> HasPermissionAsync(PermissionContext context) =>
        ValueTask.FromResult(context.IsAuthenticated && TokenClaims.IsAdministrator(context.User, context.Jwt));
}

/// <summary>Marks a class as the JWT backend in <see cref="AuthenticationAttribute"/> (LightAPI's <c>JWTAuthentication</c>).</summary>
public sealed class JwtAuthentication;
