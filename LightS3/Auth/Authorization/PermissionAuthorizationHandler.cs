using Microsoft.AspNetCore.Authorization;

namespace LightS3.Auth.Authorization;

/// <summary>
/// Decides a <see cref="PermissionRequirement"/> with its <see cref="IPermission"/>: <c>HasPermissionAsync</c> for a
/// request (resource <see cref="PermissionContext"/>), <c>HasObjectPermissionAsync</c> for a record (resource
/// <see cref="RecordAccess"/>). Registered by <c>AddLightS3()</c>.
/// </summary>
public sealed class PermissionAuthorizationHandler : AuthorizationHandler<PermissionRequirement>
{
    /// <inheritdoc />
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
    {
        var allowed = context.Resource switch
        {
            RecordAccess access => await requirement.Permission.HasObjectPermissionAsync(access.Context, access.Record),
            PermissionContext request => await requirement.Permission.HasPermissionAsync(request),
            _ => false, // evaluated without LightS3's context (e.g. from a host policy): nothing to decide on
        };
        if (allowed) context.Succeed(requirement);
    }
}
