using LightS3.Model;
using Microsoft.AspNetCore.Authorization;

namespace LightS3;

/// <summary>
/// A host's named authorization policy used as a LightS3 permission: C# <c>[MethodPolicy(HttpVerbs.Delete, "staff")]</c> or
/// <c>[Authentication(Policy = "staff")]</c>, YAML <c>permission: policy:staff</c>. The policy's requirements are evaluated
/// against the caller LightS3 identified (its <see cref="LightS3Options.AuthenticationSchemes"/>); a policy that
/// refuses an anonymous caller answers 401, an identified one 403. An unknown policy name fails at start-up.
/// </summary>
public sealed class PolicyPermission(string policy, IAuthorizationService authorization) : IPermission
{
    /// <summary>The prefix that marks a policy in a permission name.</summary>
    public const string Prefix = "policy:";

    /// <summary>The policy's name.</summary>
    public string Policy { get; } = policy;

    /// <inheritdoc />
    public bool RequiresAuthentication => false; // the policy decides; an anonymous refusal is still a 401 (see EndpointAuthorizer)

    /// <inheritdoc />
    public async ValueTask<bool> HasPermissionAsync(PermissionContext context) =>
        (await authorization.AuthorizeAsync(context.User, context.Http, Policy)).Succeeded;

    /// <summary>The policy named by <paramref name="permission"/> (<c>policy:NAME</c>), or null.</summary>
    public static string? NameIn(string permission) =>
        permission.StartsWith(Prefix, StringComparison.Ordinal) && permission.Length > Prefix.Length ? permission[Prefix.Length..] : null;
}

/// <summary>
/// A host authorization policy for one or more verbs, overriding the endpoint's permission:
/// <c>[MethodPolicy(HttpVerbs.Delete, "staff")]</c> (YAML: <c>permission: policy:staff</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class MethodPolicyAttribute(HttpVerbs verbs, string policy) : Attribute
{
    /// <summary>The verbs.</summary>
    public HttpVerbs Verbs { get; } = verbs;

    /// <summary>The policy's name.</summary>
    public string Policy { get; } = policy;
}
