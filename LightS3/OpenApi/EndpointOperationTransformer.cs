using LightS3.Endpoints;
using LightS3.Hosting;
using LightS3.Model;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace LightS3.OpenApi;

/// <summary>
/// Describes each LightS3 operation from its endpoint model: parameters, request body, every response with its schema and
/// headers, and the security its permission needs. Operations that are not LightS3's are left as they are.
/// </summary>
internal sealed class EndpointOperationTransformer(EndpointRegistry registry, IOptions<LightS3Options> options, Endpoints.RelationGraph relations) : IOpenApiOperationTransformer
{
    private readonly DescribedEndpoints _endpoints = new(registry, options.Value);

    /// <inheritdoc />
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var name = context.Description.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().LastOrDefault()?.EndpointName;
        if (name is not null && context.Description.ActionDescriptor.EndpointMetadata.OfType<Endpoints.ReindexRoutes.Metadata>().LastOrDefault() is { } reindex)
        {
            ReindexDescription.Describe(operation, context.Document ?? throw new InvalidOperationException("the OpenAPI document is not available to operation transformers"),
                reindex.Model, reindex.Start, name);
            return Task.CompletedTask;
        }
        if (name is not null && context.Description.ActionDescriptor.EndpointMetadata.OfType<Changes.ChangeRoutes.Metadata>().LastOrDefault() is { } changes)
        {
            ChangeFeedDescription.Describe(operation, context.Document ?? throw new InvalidOperationException("the OpenAPI document is not available to operation transformers"),
                changes.Model, changes.Stream, name);
            return Task.CompletedTask;
        }
        if (name is not null && context.Description.ActionDescriptor.EndpointMetadata.OfType<Shaping.BulkRoutes.Metadata>().LastOrDefault() is { } bulk)
        {
            ShapingDescription.DescribeBulk(operation, context.Document ?? throw new InvalidOperationException("the OpenAPI document is not available to operation transformers"), bulk.Model, name);
            return Task.CompletedTask;
        }
        if (name is not null && context.Description.ActionDescriptor.EndpointMetadata.OfType<Shaping.ExportRoutes.Metadata>().LastOrDefault() is { } export)
        {
            ShapingDescription.DescribeExport(operation, context.Document ?? throw new InvalidOperationException("the OpenAPI document is not available to operation transformers"), export.Model, name);
            return Task.CompletedTask;
        }
        if (name is null || !_endpoints.TryGet(name, out var model, out var op, out var schemas)) return Task.CompletedTask;
        var document = context.Document ?? throw new InvalidOperationException("the OpenAPI document is not available to operation transformers");
        foreach (var (component, build) in schemas.All()) DocumentParts.Schema(document, component, build);
        OperationDescription.Describe(operation, document, model, op.Action, op.Name, schemas);
        if (op.Action is "list" or "retrieve")
        {
            var runtime = registry.Get(model.Route);
            var names = relations.Outgoing(runtime).Select(r => r.Field.Name).Concat(relations.Incoming(runtime).Select(r => r.RelatedName)).ToList();
            if (names.Count > 0) (operation.Parameters ??= []).Add(ReferenceSchemas.ExpandParameter(names));
        }
        if (model.Time.SoftDelete && op.Action is "list" or "delete") (operation.Parameters ??= []).Add(SoftDeleteParameters.For(op.Action));
        return Task.CompletedTask;
    }
}
