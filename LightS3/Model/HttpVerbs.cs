namespace LightS3;

/// <summary>The HTTP verbs an endpoint can enable (LightAPI's HttpMethod mixins). GET covers list and retrieve.</summary>
[Flags]
public enum HttpVerbs
{
    /// <summary>No verb.</summary>
    None = 0,
    /// <summary>GET /route and GET /route/{id}.</summary>
    Get = 1,
    /// <summary>POST /route.</summary>
    Post = 2,
    /// <summary>PUT /route/{id}.</summary>
    Put = 4,
    /// <summary>PATCH /route/{id}.</summary>
    Patch = 8,
    /// <summary>DELETE /route/{id}.</summary>
    Delete = 16,
    /// <summary>Full CRUD, the default.</summary>
    All = Get | Post | Put | Patch | Delete,
}

/// <summary>Conversions between <see cref="HttpVerbs"/> and method names.</summary>
internal static class HttpVerbNames
{
    private static readonly (HttpVerbs Verb, string Name)[] Names =
        [(HttpVerbs.Get, "GET"), (HttpVerbs.Post, "POST"), (HttpVerbs.Put, "PUT"), (HttpVerbs.Patch, "PATCH"), (HttpVerbs.Delete, "DELETE")];

    /// <summary>Parses one method name (case-insensitive); null when unknown.</summary>
    public static HttpVerbs? Parse(string name) =>
        Names.FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase)) is { Name: not null } m ? m.Verb : null;

    /// <summary>The method names in <paramref name="verbs"/>, in canonical order.</summary>
    public static IEnumerable<string> Of(HttpVerbs verbs) => Names.Where(n => verbs.HasFlag(n.Verb)).Select(n => n.Name);
}
