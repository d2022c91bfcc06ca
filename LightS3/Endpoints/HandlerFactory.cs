using System.Linq.Expressions;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Endpoints;

/// <summary>
/// Builds endpoint handlers through the request's service provider: the public constructor with the most parameters
/// gets each from DI (an endpoint class keeps its parameterless constructor for the model reader and typed access).
/// The factory is compiled once per type, so a request pays a delegate call, not reflection.
/// </summary>
internal static class HandlerFactory
{
    /// <summary>A compiled factory for <paramref name="type"/>.</summary>
    public static Func<IServiceProvider, RestEndpointBase> For(Type type)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new Model.ConfigurationException($"{type.Name}: an endpoint class needs a public constructor");
        var services = Expression.Parameter(typeof(IServiceProvider), "services");
        var resolve = typeof(ServiceProviderServiceExtensions).GetMethod(nameof(ServiceProviderServiceExtensions.GetRequiredService), [typeof(IServiceProvider), typeof(Type)])!;
        var arguments = constructor.GetParameters()
            .Select(p => (Expression)Expression.Convert(Expression.Call(resolve, services, Expression.Constant(p.ParameterType)), p.ParameterType));
        var body = Expression.Convert(Expression.New(constructor, arguments), typeof(RestEndpointBase));
        return Expression.Lambda<Func<IServiceProvider, RestEndpointBase>>(body, services).Compile();
    }
}
