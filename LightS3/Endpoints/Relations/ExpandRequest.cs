using LightS3.Http;
using Microsoft.AspNetCore.Http;

namespace LightS3.Endpoints;

/// <summary>One name of <c>?expand=</c> at one level: a reference field (forward) or a back-reference name, with what to expand inside it.</summary>
internal sealed record ExpandNode(string Name, Relation Relation, bool Back, IReadOnlyList<ExpandNode> Children)
{
    /// <summary>The endpoint whose records this node embeds.</summary>
    public EndpointRuntime Embedded => Back ? Relation.Source : Relation.Target;
}

/// <summary>
/// Reads <c>?expand=author,author.publisher,books</c>: comma-separated dotted paths of reference fields and
/// back-reference names, at most <see cref="MaxDepth"/> deep. An unknown name is a 400 listing the names there are.
/// </summary>
internal static class ExpandRequest
{
    /// <summary>The query parameter.</summary>
    public const string Parameter = "expand";

    /// <summary>The deepest path accepted (<c>a.b.c</c>).</summary>
    public const int MaxDepth = 3;

    private sealed class Builder(string name, Relation relation, bool back)
    {
        public Dictionary<string, Builder> Children { get; } = new(StringComparer.Ordinal);
        public EndpointRuntime Embedded => back ? relation.Source : relation.Target;
        public ExpandNode Build() => new(name, relation, back, Children.Values.Select(c => c.Build()).ToList());
    }

    /// <summary>The expansion asked for on <paramref name="root"/>, or null when the request has no (or an empty) <c>expand</c>.</summary>
    public static IReadOnlyList<ExpandNode>? Parse(IQueryCollection query, EndpointRuntime root, RelationGraph graph)
    {
        if (!query.TryGetValue(Parameter, out var values)) return null;
        if (values.Count > 1) throw Bad($"'expand' appears {values.Count} times; send it once (several names: expand=a,b.c)");
        var paths = values.ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (paths.Length == 0) return null;
        var top = new Dictionary<string, Builder>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var segments = path.Split('.');
            if (segments.Length > MaxDepth) throw Bad($"'{path}' is deeper than {MaxDepth} levels");
            var level = top;
            var at = root;
            foreach (var name in segments)
            {
                if (!level.TryGetValue(name, out var node))
                {
                    var (relation, back) = Resolve(graph, at, name, path);
                    level[name] = node = new Builder(name, relation, back);
                }
                at = node.Embedded;
                level = node.Children;
            }
        }
        return top.Values.Select(b => b.Build()).ToList();
    }

    private static (Relation, bool) Resolve(RelationGraph graph, EndpointRuntime at, string name, string path)
    {
        if (graph.Outgoing(at).FirstOrDefault(r => r.Field.Name == name) is { } forward) return (forward, false);
        if (graph.Incoming(at).FirstOrDefault(r => r.RelatedName == name) is { } back) return (back, true);
        var names = graph.Outgoing(at).Select(r => r.Field.Name).Concat(graph.Incoming(at).Select(r => r.RelatedName)).ToList();
        throw Bad($"'{name}' (in '{path}') is not a reference or back-reference of {at.Model.Route}"
                  + (names.Count == 0 ? " (it has none)" : $" (use {string.Join(", ", names)})"));
    }

    private static ApiProblemException Bad(string message) =>
        new(StatusCodes.Status400BadRequest, $"invalid query parameter 'expand': {message}", new Dictionary<string, string[]> { [Parameter] = [message] });
}
