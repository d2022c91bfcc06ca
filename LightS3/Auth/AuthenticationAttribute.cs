using LightS3.Model;

namespace LightS3;

/// <summary>
/// Protects an endpoint: <c>[Authentication(typeof(JwtAuthentication), Permission = typeof(IsAuthenticated))]</c>.
/// Without <see cref="Permission"/>, any authenticated caller is allowed. Combine with <see cref="MethodPermissionAttribute"/>
/// for per-verb rules (e.g. GET open, writes authenticated).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class AuthenticationAttribute(Type? backend = null) : Attribute
{
    /// <summary>The backend; only <see cref="JwtAuthentication"/> exists.</summary>
    public Type Backend { get; } = backend ?? typeof(JwtAuthentication);

    /// <summary>The permission class for every verb (an <see cref="IPermission"/>).</summary>
    public Type Permission { get; set; } = typeof(IsAuthenticated);

    /// <summary>A host authorization policy for every verb instead of <see cref="Permission"/> (see <see cref="PolicyPermission"/>).</summary>
    public string? Policy { get; set; }
}

/// <summary>A permission for one or more verbs, overriding the endpoint's: <c>[MethodPermission(HttpVerbs.Get, typeof(AllowAny))]</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class MethodPermissionAttribute(HttpVerbs verbs, Type permission) : Attribute
{
    /// <summary>The verbs.</summary>
    public HttpVerbs Verbs { get; } = verbs;

    /// <summary>The permission class.</summary>
    public Type Permission { get; } = permission;
}
