using Microsoft.AspNetCore.Http;

namespace LightS3;

/// <summary>
/// LightAPI's middleware contract: <see cref="ProcessAsync"/> is called with <c>response = null</c> before the
/// endpoint (return a result to short-circuit, or null to continue) and with the endpoint's response after it
/// (return it, changed or replaced). App-wide middleware runs in declaration order before and in reverse after;
/// endpoint middleware runs inside the app's. Implemented as an ASP.NET Core endpoint filter.
/// A synchronous middleware overrides <see cref="Process"/> instead.
/// </summary>
public abstract class Middleware
{
    /// <summary>The asynchronous form (defaults to <see cref="Process"/>).</summary>
    public virtual ValueTask<IResult?> ProcessAsync(HttpContext context, IResult? response) => ValueTask.FromResult(Process(context, response));

    /// <summary>The synchronous form: pass the response through by default.</summary>
    public virtual IResult? Process(HttpContext context, IResult? response) => response;
}

/// <summary>Runs one <see cref="Middleware"/> around the endpoint as an endpoint filter.</summary>
internal sealed class MiddlewareFilter(Middleware middleware) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (await middleware.ProcessAsync(http, null) is { } shortCircuit) return shortCircuit;
        var result = await next(context);
        return result is IResult response ? await middleware.ProcessAsync(http, response) ?? response : result;
    }
}

/// <summary>Declares endpoint middleware on a class: <c>[Middleware(typeof(AuditMiddleware))]</c> (in order).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class MiddlewareAttribute(Type middleware) : Attribute
{
    /// <summary>The middleware type (a <see cref="Middleware"/> subclass).</summary>
    public Type Type { get; } = middleware;
}

/// <summary>App-wide middleware, in declaration order, and named middleware for YAML.</summary>
internal sealed class MiddlewareRegistry
{
    private readonly List<Type> _global = [];
    private readonly Dictionary<string, Type> _named = new(StringComparer.Ordinal);

    /// <summary>App-wide middleware types, in order.</summary>
    public IReadOnlyList<Type> Global => _global;

    /// <summary>Adds app-wide middleware (applies to endpoints registered afterwards).</summary>
    public void Add(Type type)
    {
        if (!typeof(Middleware).IsAssignableFrom(type)) throw new Model.ConfigurationException($"{type.Name} is not a LightS3 Middleware");
        _global.Add(type);
    }

    /// <summary>Registers middleware under a name usable from YAML.</summary>
    public void Name(string name, Type type) => _named[name] = type;

    /// <summary>The middleware registered under <paramref name="name"/>.</summary>
    public Type? Find(string name) => _named.GetValueOrDefault(name);

    /// <summary>Known names.</summary>
    public IEnumerable<string> Names => _named.Keys;
}
