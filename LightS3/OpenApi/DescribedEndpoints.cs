using LightS3.Endpoints;
using LightS3.Hosting;
using LightS3.Model;

namespace LightS3.OpenApi;

/// <summary>The registered endpoints as the document describes them: each operation by endpoint name, with its model and schemas.</summary>
internal sealed class DescribedEndpoints
{
    private readonly Dictionary<string, (EndpointModel Model, EndpointOperations Operation, EndpointSchemas Schemas)> _byName = new(StringComparer.Ordinal);

    /// <summary>Indexes the endpoints of <paramref name="registry"/>.</summary>
    public DescribedEndpoints(EndpointRegistry registry, LightS3Options options)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var runtime in registry.Endpoints.OrderBy(e => e.Model.Route, StringComparer.Ordinal))
        {
            var model = runtime.Model;
            var name = EndpointSchemas.BaseNameOf(model.Collection);
            for (var i = 2; !taken.Add(name); i++) name = EndpointSchemas.BaseNameOf(model.Collection) + i;
            var schemas = new EndpointSchemas(model, model.UnknownFields ?? options.UnknownFields, name);
            Models.Add((model, schemas));
            foreach (var operation in EndpointOperations.Of(model)) _byName[operation.Name] = (model, operation, schemas);
        }
    }

    /// <summary>Every endpoint with its schemas.</summary>
    public List<(EndpointModel Model, EndpointSchemas Schemas)> Models { get; } = [];

    /// <summary>The operation named <paramref name="name"/>, if it is a LightS3 one.</summary>
    public bool TryGet(string name, out EndpointModel model, out EndpointOperations operation, out EndpointSchemas schemas)
    {
        var found = _byName.TryGetValue(name, out var entry);
        (model, operation, schemas) = entry;
        return found;
    }
}
