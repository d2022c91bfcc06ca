using LightS3.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace LightS3.Auth.Authorization;

/// <summary>
/// Named authorization policies for the host's own routes, on the schemes LightS3 endpoints accept
/// (<see cref="LightS3Options.AuthenticationSchemes"/>): <c>app.MapGet("/reports", ...).RequireAuthorization(LightS3Policies.AdminUser)</c>.
/// </summary>
public static class LightS3Policies
{
    /// <summary>Any caller with a valid token (LightS3's <see cref="IsAuthenticated"/>).</summary>
    public const string Authenticated = "LightS3.IsAuthenticated";

    /// <summary>Admins only (LightS3's <see cref="IsAdminUser"/>).</summary>
    public const string AdminUser = "LightS3.IsAdminUser";

    /// <summary>Adds both policies once the app's schemes are known.</summary>
    internal sealed class Setup(IOptions<LightS3Options> options) : IConfigureOptions<AuthorizationOptions>
    {
        public void Configure(AuthorizationOptions authorization)
        {
            var schemes = options.Value.AuthenticationSchemes is { Count: > 0 } s ? s.ToArray() : [JwtAuthenticationHandler.SchemeName];
            authorization.AddPolicy(Authenticated, p => p.AddAuthenticationSchemes(schemes).RequireAuthenticatedUser());
            authorization.AddPolicy(AdminUser, p => p.AddAuthenticationSchemes(schemes).RequireAuthenticatedUser().AddRequirements(new AdminUserRequirement()));
        }
    }
}
