using LightS3.Hosting;
using LightS3.Model;

namespace LightS3.Endpoints;

/// <summary>
/// The references between the registered endpoints, resolved by route (or endpoint class) once every endpoint is
/// registered: at start-up (<see cref="EnsureResolved"/>, a <see cref="ConfigurationException"/> naming every unknown
/// target) and again whenever the set of endpoints changed.
/// </summary>
public sealed class RelationGraph(EndpointRegistry registry)
{
    private sealed record Snapshot(
        int Count,
        Dictionary<EndpointRuntime, IReadOnlyList<Relation>> Outgoing,
        Dictionary<EndpointRuntime, IReadOnlyList<Relation>> Incoming,
        IReadOnlyList<string> Problems);

    private static readonly IReadOnlyList<Relation> None = [];
    private volatile Snapshot? _snapshot;

    /// <summary>Resolves every reference now; throws a <see cref="ConfigurationException"/> listing each one that cannot be.</summary>
    public void EnsureResolved()
    {
        var problems = Current().Problems;
        if (problems.Count > 0) throw new ConfigurationException(problems);
    }

    /// <summary>The reference fields of <paramref name="source"/>, resolved.</summary>
    public IReadOnlyList<Relation> Outgoing(EndpointRuntime source) => Current().Outgoing.GetValueOrDefault(source, None);

    /// <summary>The references that point at records of <paramref name="target"/>.</summary>
    public IReadOnlyList<Relation> Incoming(EndpointRuntime target) => Current().Incoming.GetValueOrDefault(target, None);

    /// <summary>The endpoints that are the target of at least one set_null or cascade reference.</summary>
    public IEnumerable<EndpointRuntime> BackgroundTargets() =>
        Current().Incoming.Where(e => e.Value.Any(r => r.RunsInBackground)).Select(e => e.Key);

    private Snapshot Current()
    {
        var endpoints = registry.Endpoints;
        var snapshot = _snapshot;
        if (snapshot is not null && snapshot.Count == endpoints.Count) return snapshot;
        return _snapshot = Build(endpoints);
    }

    private static Snapshot Build(IReadOnlyCollection<EndpointRuntime> endpoints)
    {
        var problems = new List<string>();
        var byRoute = endpoints.ToDictionary(e => e.Model.Route, StringComparer.OrdinalIgnoreCase);
        var outgoing = new Dictionary<EndpointRuntime, IReadOnlyList<Relation>>();
        var incoming = new Dictionary<EndpointRuntime, List<Relation>>();
        foreach (var source in endpoints)
        {
            var relations = new List<Relation>();
            foreach (var field in source.Model.Fields.Where(f => f.Ref is not null))
            {
                var at = $"{source.Model.Source}: reference field '{field.Name}'";
                if (Target(field.Ref!, byRoute, endpoints, out var error) is not { } target)
                {
                    problems.Add($"{at} {error}");
                    continue;
                }
                var related = field.Ref!.RelatedName ?? EndpointOperations.NameOf(source.Model);
                var relation = new Relation(source, field, target, related);
                relations.Add(relation);
                if (!incoming.TryGetValue(target, out var list)) incoming[target] = list = [];
                list.Add(relation);
            }
            if (relations.Count > 0) outgoing[source] = relations;
        }
        foreach (var (target, list) in incoming)
        {
            foreach (var clash in list.GroupBy(r => r.RelatedName).Where(g => g.Count() > 1))
                problems.Add($"{target.Model.Source}: back-reference name '{clash.Key}' is used by {string.Join(" and ", clash)}; give each a related_name");
            foreach (var shadow in list.Where(r => target.Model.Fields.Any(f => f.Name == r.RelatedName)))
                problems.Add($"{shadow.Source.Model.Source}: back-reference name '{shadow.RelatedName}' of {shadow} is also a field of {target.Model.Route}; give it a related_name");
        }
        return new Snapshot(endpoints.Count, outgoing, incoming.ToDictionary(e => e.Key, e => (IReadOnlyList<Relation>)e.Value), problems);
    }

    private static EndpointRuntime? Target(RefSpec spec, Dictionary<string, EndpointRuntime> byRoute, IReadOnlyCollection<EndpointRuntime> endpoints, out string error)
    {
        error = "";
        if (spec.To is { } to)
        {
            if (byRoute.TryGetValue(EndpointModelValidator.NormalizeRoute(to) ?? to, out var byTo)) return byTo;
            error = $"references '{to}', but no endpoint is registered there (routes: {string.Join(", ", byRoute.Keys.Order(StringComparer.Ordinal))})";
            return null;
        }
        var type = spec.TargetType!;
        var matches = endpoints.Where(e => e.Model.HandlerType == type).ToList();
        if (matches.Count == 1) return matches[0];
        error = matches.Count == 0
            ? $"references class {type.Name}, which is not registered at any route"
            : $"references class {type.Name}, which is registered at {string.Join(" and ", matches.Select(m => m.Model.Route))}; name the route: [Ref(\"/route\")]";
        return null;
    }
}
