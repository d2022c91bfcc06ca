namespace LightS3.Auth.Module;

/// <summary>
/// Whether this app mapped the auth module, and its service. Only then are module-issued tokens checked against
/// their session; an app without the module never resolves (or constructs) <see cref="AuthService"/> while authenticating.
/// </summary>
internal sealed class MappedAuthModule
{
    private volatile AuthService? _service;

    /// <summary>The module's service, or null when the module is not mapped.</summary>
    public AuthService? Service => _service;

    internal void Mapped(AuthService service) => _service = service;
}
