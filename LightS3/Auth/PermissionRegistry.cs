using LightS3.Model;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Auth;

/// <summary>
/// Resolves permission names (from YAML) and types (from attributes) to instances. Built-ins: AllowAny,
/// IsAuthenticated, IsAdminUser, and <c>policy:NAME</c> for a host authorization policy; add your own with <c>services.AddLightS3Permission&lt;IsOwner&gt;("IsOwner")</c>.
/// </summary>
public sealed class PermissionRegistry(IServiceProvider services, IEnumerable<NamedPermission> custom)
{
    private readonly Dictionary<string, Type> _byName = new Dictionary<string, Type>
    {
        [AccessRule.AllowAnyName] = typeof(AllowAny),
        [nameof(IsAuthenticated)] = typeof(IsAuthenticated),
        [nameof(IsAdminUser)] = typeof(IsAdminUser),
    }.Concat(custom.Select(c => KeyValuePair.Create(c.Name, c.Type))).ToDictionary(StringComparer.Ordinal);

    /// <summary>Names of every known permission.</summary>
    public IEnumerable<string> Names => _byName.Keys;

    /// <summary>The permission of <paramref name="rule"/>; throws <see cref="ConfigurationException"/> for an unknown one.</summary>
    public IPermission Resolve(AccessRule rule, string source)
    {
        if (rule.PermissionType is null && PolicyPermission.NameIn(rule.Permission) is { } policy)
        {
            // fail at start-up, not at the first request, for a policy the host never added
            if (services.GetService<IAuthorizationPolicyProvider>() is not { } policies || policies.GetPolicyAsync(policy).GetAwaiter().GetResult() is null)
                throw new ConfigurationException($"{source}: unknown authorization policy '{policy}' (add it with services.AddAuthorization(o => o.AddPolicy(\"{policy}\", ...)))");
            return new PolicyPermission(policy, services.GetRequiredService<IAuthorizationService>());
        }
        var type = rule.PermissionType ?? (_byName.TryGetValue(rule.Permission, out var t) ? t
            : throw new ConfigurationException($"{source}: unknown permission '{rule.Permission}' (known: {string.Join(", ", _byName.Keys)})"));
        if (!typeof(IPermission).IsAssignableFrom(type))
            throw new ConfigurationException($"{source}: permission {type.Name} must implement IPermission");
        return (IPermission)ActivatorUtilities.CreateInstance(services, type);
    }
}

/// <summary>A custom permission registered under a name.</summary>
public sealed record NamedPermission(string Name, Type Type);
