using LightS3.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace LightS3.Auth.Authorization;

/// <summary>The caller is a LightS3 admin (<see cref="TokenClaims.IsAdministrator"/>): the requirement of <see cref="LightS3Policies.AdminUser"/>.</summary>
public sealed class AdminUserRequirement : IAuthorizationRequirement;

/// <summary>Decides <see cref="AdminUserRequirement"/> with the app's admin claim and admin roles.</summary>
public sealed class AdminUserAuthorizationHandler(IOptions<LightS3Options> options) : AuthorizationHandler<AdminUserRequirement>
{
    /// <inheritdoc />
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AdminUserRequirement requirement)
    {
        if (TokenClaims.IsAdministrator(context.User, options.Value.Jwt)) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
