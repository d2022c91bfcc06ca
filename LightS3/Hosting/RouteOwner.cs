namespace LightS3.Hosting;

/// <summary>
/// Metadata on every ASP.NET Core endpoint of a LightS3 endpoint's route group (and on whatever the host maps onto
/// that group): which endpoint's URL space it belongs to, so <see cref="RouteCollisions"/> can tell it from a stranger's.
/// One instance per mapped endpoint: compared by reference.
/// </summary>
internal sealed class RouteOwner(string source)
{
    /// <summary>The endpoint's source (its class or YAML position), for messages.</summary>
    public string Source { get; } = source;
}
