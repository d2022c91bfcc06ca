namespace LightS3.Auth.Module;

/// <summary>
/// The user an <see cref="Microsoft.AspNetCore.Identity.IPasswordHasher{TUser}"/> sees when the auth module hashes or
/// verifies a password. Register your own <c>IPasswordHasher&lt;AuthUser&gt;</c> to change the algorithm (the default is
/// ASP.NET Core Identity's PBKDF2 <see cref="Microsoft.AspNetCore.Identity.PasswordHasher{TUser}"/>). An unknown user
/// at login is verified as <see cref="Unknown"/> against a dummy hash, so the cost is the same either way.
/// </summary>
/// <param name="Id">The user's id (empty for a user being registered or an unknown user).</param>
/// <param name="Username">The username, lowercase.</param>
public sealed record AuthUser(string Id, string Username)
{
    /// <summary>Stands for a user who does not exist (login timing equaliser).</summary>
    public static AuthUser Unknown { get; } = new("", "");
}
