using LightS3.Webhooks;
using YamlDotNet.RepresentationModel;

namespace LightS3.Yaml.Config;

public sealed partial class YamlConfigReader
{
    private static readonly string[] WebhookKeys = ["name", "url", "events", "routes", "secret"];

    /// <summary>
    /// Reads <c>webhooks: [{ url, events: [created, updated, deleted], routes: [/books], secret: ${WEBHOOK_SECRET}, name }]</c>;
    /// every route must be a declared endpoint that keeps a change feed (<c>meta: { changes: true }</c>).
    /// </summary>
    private List<WebhookTarget> ReadWebhooks(YamlNode? node, IReadOnlyList<YamlEndpoint> endpoints)
    {
        var targets = new List<WebhookTarget>();
        if (node is null) return targets;
        if (node is not YamlSequenceNode list)
        {
            _problems.Add("webhooks", "must be a list of { url, events, routes, secret }", node);
            return targets;
        }
        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"webhooks[{i}]";
            if (Map(list.Children[i], path) is not { } map) continue;
            CheckKeys(map, path, WebhookKeys);
            var urlNode = Child(map, "url");
            if (urlNode is null) _problems.Add($"{path}.url", "is required", map);
            var target = new WebhookTarget
            {
                Name = Child(map, "name") is { } n ? Scalar(n, $"{path}.name") : null,
                Url = urlNode is null ? "" : Scalar(urlNode, $"{path}.url") ?? "",
                Events = [.. StringList(Child(map, "events"), $"{path}.events")],
                Routes = [.. StringList(Child(map, "routes"), $"{path}.routes")],
                Secret = Child(map, "secret") is { } s ? Scalar(s, $"{path}.secret") : null,
            };
            if (urlNode is not null && !(Uri.TryCreate(target.Url, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
                _problems.Add($"{path}.url", $"'{target.Url}' must be an absolute http(s) URL", urlNode);
            if (target.Name is { } name && WebhookOptionsValidation.TargetProblems(new WebhookTarget { Url = "http://x", Name = name }).FirstOrDefault() is { } nameProblem)
                _problems.Add($"{path}.name", nameProblem, Child(map, "name"));
            for (var e = 0; e < target.Events.Count; e++)
                if (!WebhookTarget.AllEvents.Contains(target.Events[e]))
                    _problems.Add($"{path}.events[{e}]", $"unknown event '{target.Events[e]}' (known: {string.Join(", ", WebhookTarget.AllEvents)})", Item(map, "events", e));
            for (var r = 0; r < target.Routes.Count; r++)
            {
                var endpoint = endpoints.FirstOrDefault(x => string.Equals(x.Model.Route.TrimEnd('/'), target.Routes[r].TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
                if (endpoint is null)
                    _problems.Add($"{path}.routes[{r}]", $"'{target.Routes[r]}' is not a declared endpoint route", Item(map, "routes", r));
                else if (!endpoint.Model.Time.Changes)
                    _problems.Add($"{path}.routes[{r}]", $"'{target.Routes[r]}' keeps no change feed: add meta: {{ changes: true }} to {endpoint.Path}", Item(map, "routes", r));
            }
            if (target.Routes.Count == 0 && !endpoints.Any(x => x.Model.Time.Changes))
                _problems.Add($"{path}.routes", "no endpoint keeps a change feed, so this webhook would never fire: add meta: { changes: true } to an endpoint", map);
            if (target.Secret is { } secret && WebhookSignature.KeyProblem(secret) is { } secretProblem)
                _problems.Add($"{path}.secret", secretProblem, Child(map, "secret"));
            targets.Add(target);
        }
        foreach (var dup in targets.Select((t, i) => (t, i)).GroupBy(x => x.t.EffectiveName, StringComparer.Ordinal).Where(g => g.Count() > 1))
            foreach (var (_, i) in dup.Skip(1))
                _problems.Add($"webhooks[{i}]", $"same name as webhooks[{dup.First().i}] ('{dup.Key}'): give each webhook a distinct name", list.Children[i]);
        return targets;
    }

    private static YamlNode? Item(YamlMappingNode map, string key, int index) =>
        Child(map, key) is YamlSequenceNode seq && index < seq.Children.Count ? seq.Children[index] : null;
}
