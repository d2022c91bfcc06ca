namespace LightS3.Model;

/// <summary>
/// Who may call an endpoint: a permission (by name — <c>AllowAny</c>, <c>IsAuthenticated</c>, <c>IsAdminUser</c>
/// or a registered custom one — or by type) applied to every verb unless a verb has its own.
/// </summary>
public sealed record AuthSpec(AccessRule Default, IReadOnlyDictionary<HttpVerbs, AccessRule> PerMethod)
{
    /// <summary>Everyone, on every verb.</summary>
    public static AuthSpec Open { get; } = new(AccessRule.AllowAny, new Dictionary<HttpVerbs, AccessRule>());

    /// <summary>The rule for one verb.</summary>
    public AccessRule For(HttpVerbs verb) => PerMethod.TryGetValue(verb, out var rule) ? rule : Default;

    /// <summary>Whether any verb needs an authenticated caller.</summary>
    public bool RequiresAuthentication => Default.Permission != AccessRule.AllowAnyName || PerMethod.Values.Any(r => r.Permission != AccessRule.AllowAnyName);
}

/// <summary>One permission requirement.</summary>
/// <param name="Permission">The permission's name.</param>
/// <param name="PermissionType">The permission class, when declared by type (custom permissions).</param>
public sealed record AccessRule(string Permission, Type? PermissionType = null)
{
    /// <summary>Name of the open permission.</summary>
    public const string AllowAnyName = "AllowAny";

    /// <summary>No authentication needed.</summary>
    public static AccessRule AllowAny { get; } = new(AllowAnyName);
}

/// <summary>Response caching of an endpoint's GETs: seconds to live, and extra headers or <c>claim:name</c>s to vary on.</summary>
public sealed record CacheSpec(int TtlSeconds, IReadOnlyList<string> VaryOn)
{
    /// <summary>Caching without extra variation.</summary>
    public CacheSpec(int ttlSeconds) : this(ttlSeconds, []) { }
}

/// <summary>Requests allowed per client address per window on one endpoint (429 with Retry-After beyond).</summary>
public sealed record RateLimitSpec(int Requests, TimeSpan Window);
