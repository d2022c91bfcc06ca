using LightS3.Model;

namespace LightS3;

/// <summary>
/// Enables only the given verbs on an endpoint (LightAPI's HttpMethod mixins); the rest answer
/// 405 with an <c>Allow</c> header. Without it an endpoint serves full CRUD.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class AllowedMethodsAttribute(HttpVerbs verbs) : Attribute
{
    /// <summary>The enabled verbs.</summary>
    public HttpVerbs Verbs { get; } = verbs;
}
