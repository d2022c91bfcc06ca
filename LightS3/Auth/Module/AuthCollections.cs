using System.Text.RegularExpressions;
using LightS3.Model;

namespace LightS3.Auth.Module;

/// <summary>
/// The module's data as ordinary LightS3 collections, so users, sessions and refresh tokens get the same
/// compare-and-swap writes and unique markers (usernames and emails: O(1), never a scan) as any endpoint.
/// </summary>
internal static class AuthCollections
{
    public static readonly EndpointModel Users = new("/_auth/users", "auth-users",
    [
        new FieldModel { Name = "username", Kind = FieldKind.String, Required = true, MinLength = 3, MaxLength = 64, Unique = true, Pattern = new Regex("^[a-z0-9_.-]+$") },
        new FieldModel { Name = "email", Kind = FieldKind.String, Required = true, MaxLength = 254, Unique = true, Pattern = new Regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$") },
        new FieldModel { Name = "password_hash", Kind = FieldKind.String, Required = true },
        new FieldModel { Name = "is_admin", Kind = FieldKind.Bool, Default = System.Text.Json.Nodes.JsonValue.Create(false) },
        // revoke-all increments it; a session is live only while it was opened in the current epoch
        new FieldModel { Name = "session_epoch", Kind = FieldKind.Long, Default = System.Text.Json.Nodes.JsonValue.Create(0L) },
    ]) { Source = "auth module users" };

    /// <summary>A session is one login: the family of its refresh tokens and the <c>sid</c> of its access tokens.</summary>
    public static readonly EndpointModel Sessions = new("/_auth/sessions", "auth-sessions",
    [
        new FieldModel { Name = "user_id", Kind = FieldKind.String, Required = true },
        new FieldModel { Name = "issued_at", Kind = FieldKind.Long, Required = true }, // Unix milliseconds, informational
        new FieldModel { Name = "session_epoch", Kind = FieldKind.Long, Default = System.Text.Json.Nodes.JsonValue.Create(0L) },
        new FieldModel { Name = "revoked", Kind = FieldKind.Bool, Default = System.Text.Json.Nodes.JsonValue.Create(false) },
    ]) { Source = "auth module sessions" };

    /// <summary>Refresh tokens: only a hash of the secret is stored; each is usable once.</summary>
    public static readonly EndpointModel RefreshTokens = new("/_auth/refresh", "auth-refresh",
    [
        new FieldModel { Name = "session_id", Kind = FieldKind.String, Required = true },
        new FieldModel { Name = "secret_hash", Kind = FieldKind.String, Required = true },
        new FieldModel { Name = "expires_at", Kind = FieldKind.Long, Required = true },
        new FieldModel { Name = "used", Kind = FieldKind.Bool, Default = System.Text.Json.Nodes.JsonValue.Create(false) },
    ]) { Source = "auth module refresh tokens", Time = new TimeSpec { ExpiresField = "expires_at" } }; // invisible once expired, removed by the expiry sweep

    /// <summary>The auth module's collections, reserved in every app whether the module is on or not.</summary>
    public static readonly IReadOnlyList<EndpointModel> All = [Users, Sessions, RefreshTokens];

    /// <summary>
    /// Refuses an app endpoint whose collection is (or is nested under) one of the module's: served as an endpoint, it
    /// would hand out password hashes, sessions or refresh-token hashes. Reserved whether or not this app maps the
    /// module, since another app on the same store may.
    /// </summary>
    public static void EnsureNotReserved(EndpointModel model)
    {
        foreach (var reserved in All)
            if (model.Collection.Equals(reserved.Collection, StringComparison.OrdinalIgnoreCase)
                || model.Collection.StartsWith(reserved.Collection + "/", StringComparison.OrdinalIgnoreCase))
                throw new ConfigurationException($"{(string.IsNullOrEmpty(model.Source) ? model.Route : model.Source)}: collection '{model.Collection}' is reserved "
                    + $"for the auth module's {reserved.Source.Replace("auth module ", "")} ('{reserved.Collection}'); serve it under another route or [Collection] name");
    }
}
