using LightS3.Model;
using Microsoft.AspNetCore.Authorization;

namespace LightS3.Auth.Authorization;

/// <summary>
/// A LightS3 permission (<see cref="AllowAny"/>, <see cref="IsAuthenticated"/>, <see cref="IsAdminUser"/>, a custom
/// <see cref="IPermission"/> or a host policy) as an ASP.NET Core authorization requirement, one per endpoint and verb.
/// LightS3 endpoints evaluate it through <see cref="IAuthorizationService"/>: against a <see cref="PermissionContext"/>
/// before the verb runs and against a <see cref="RecordAccess"/> once the record is loaded, so handlers a host registers
/// for this requirement take part (any handler calling <c>Fail()</c> denies, as everywhere in ASP.NET Core).
/// </summary>
public sealed class PermissionRequirement(IPermission permission, EndpointModel model, HttpVerbs verb) : IAuthorizationRequirement
{
    /// <summary>The permission that decides.</summary>
    public IPermission Permission { get; } = permission;

    /// <summary>The endpoint it protects.</summary>
    public EndpointModel Model { get; } = model;

    /// <summary>The verb it protects.</summary>
    public HttpVerbs Verb { get; } = verb;

    /// <inheritdoc />
    public override string ToString() => $"LightS3 permission {Permission.GetType().Name} on {Verb} {Model.Route}";
}

/// <summary>The resource of an object-level check: the request and the record it acts on.</summary>
public sealed record RecordAccess(PermissionContext Context, Record Record);
