namespace LightS3;

/// <summary>
/// Declares where an endpoint class is served, for discovery by
/// <c>services.AddLightS3EndpointsFrom(typeof(Program).Assembly)</c>: <c>[RestRoute("/books")]</c>.
/// Classes without it are only served where <c>app.Register</c> puts them.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RestRouteAttribute(string route) : Attribute
{
    /// <summary>The route, e.g. <c>/books</c>.</summary>
    public string Route { get; } = route;
}
