using LightS3.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace LightS3.Hosting;

/// <summary>
/// An endpoint owns its route and every path below it (<c>/docs</c>, <c>/docs/{id}</c>, <c>/docs/{id}/history</c>…).
/// Any other route in that space — LightS3's own (the API reference at <c>/docs/{documentName?}</c>, <c>/admin</c>,
/// <c>/auth</c>, <c>/healthz</c>…), another endpoint's, or one the host maps — would either shadow records or make
/// routing ambiguous (a 500 on every request), so it is a configuration error naming both routes. Only literal leading
/// segments count: a host's <c>/{slug}</c> or fallback route ranks below an endpoint's literal route and never collides.
/// </summary>
internal static class RouteCollisions
{
    /// <summary>
    /// Throws a <see cref="ConfigurationException"/> listing every route that lies in an endpoint's space. The endpoints
    /// of a LightS3 endpoint carry <see cref="RouteOwner"/>; its space starts at the shortest of them (its collection
    /// route, under whatever group the host mapped it in). <paramref name="ownRoutes"/> names LightS3's own route
    /// prefixes (and how to move them) for the message.
    /// </summary>
    public static void Check(IEnumerable<Endpoint> endpoints, IReadOnlyDictionary<string, string> ownRoutes)
    {
        var routes = endpoints.OfType<RouteEndpoint>().ToList();
        var problems = new List<string>();
        foreach (var owned in routes.Where(e => e.Metadata.GetMetadata<RouteOwner>() is not null).GroupBy(e => e.Metadata.GetMetadata<RouteOwner>()!))
        {
            var root = owned.Select(e => e.RoutePattern).MinBy(p => p.PathSegments.Count)!;
            var segments = root.PathSegments.TakeWhile(s => s.Parts is [RoutePatternLiteralPart]).Select(s => ((RoutePatternLiteralPart)s.Parts[0]).Content).ToArray();
            var strangers = routes
                .Where(e => e.Metadata.GetMetadata<RouteOwner>() != owned.Key && Inside(e.RoutePattern, segments))
                .Select(e => $"'{Display(e.RoutePattern)}' ({Describe(e, ownRoutes)})")
                .Distinct()
                .ToList();
            if (strangers.Count > 0)
                problems.Add($"{owned.Key.Source}: route '{Display(root)}' collides with {string.Join(", ", strangers)}: an endpoint owns its route "
                    + "and every path below it; choose another route for one of them (a host route meant to extend the endpoint "
                    + "goes on the route group MapRestEndpoint returns)");
        }
        if (problems.Count > 0) throw new ConfigurationException(string.Join("; ", problems));
    }

    /// <summary>Whether <paramref name="pattern"/> starts with the literal segments <paramref name="segments"/>.</summary>
    private static bool Inside(RoutePattern pattern, string[] segments)
    {
        if (segments.Length == 0 || pattern.PathSegments.Count < segments.Length) return false;
        for (var i = 0; i < segments.Length; i++)
            if (pattern.PathSegments[i].Parts is not [RoutePatternLiteralPart literal] || !literal.Content.Equals(segments[i], StringComparison.OrdinalIgnoreCase))
                return false;
        return true;
    }

    private static string Display(RoutePattern pattern) => "/" + (pattern.RawText ?? "").Trim('/');

    /// <summary>Who maps the route: another endpoint, LightS3 itself, or the host.</summary>
    private static string Describe(RouteEndpoint endpoint, IReadOnlyDictionary<string, string> ownRoutes)
    {
        if (endpoint.Metadata.GetMetadata<RouteOwner>() is { } other) return $"served by {other.Source}";
        var path = Display(endpoint.RoutePattern);
        foreach (var (prefix, label) in ownRoutes)
            if (path.Equals(prefix, StringComparison.OrdinalIgnoreCase) || path.StartsWith(prefix.TrimEnd('/') + "/", StringComparison.OrdinalIgnoreCase))
                return label;
        return "mapped by the host" + (endpoint.DisplayName is { Length: > 0 } name ? $": {name}" : "");
    }
}
