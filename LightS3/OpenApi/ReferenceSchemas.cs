using System.Text.Json.Nodes;
using LightS3.Model;
using Microsoft.OpenApi;

namespace LightS3.OpenApi;

/// <summary>OpenAPI for references: a reference field is a string with <c>x-ref</c> (the target route), and list and retrieve take <c>expand</c>.</summary>
internal static class ReferenceSchemas
{
    /// <summary>Adds the target and the on_delete rule to a reference field's schema.</summary>
    public static void Describe(OpenApiSchema schema, FieldModel field, RefSpec reference, List<string> notes)
    {
        var target = reference.To ?? reference.TargetType?.Name ?? "?";
        notes.Add($"The id of a record of {target} (on_delete: {RefSpec.NameOf(reference.OnDelete)}); ?expand={field.Name} embeds it.");
        schema.Extensions ??= new Dictionary<string, IOpenApiExtension>(StringComparer.Ordinal);
        schema.Extensions["x-ref"] = new JsonNodeExtension(JsonValue.Create(target));
    }

    /// <summary>
    /// Replaces each <c>x-ref</c> that names an endpoint class (<c>[Ref(typeof(AuthorEndpoint))]</c>) by the route that class
    /// is registered at, so every <c>x-ref</c> is a route a client (the admin UI's picker) can call.
    /// </summary>
    public static void ResolveTargets(OpenApiDocument document, IEnumerable<Model.EndpointModel> models)
    {
        var routes = models.Where(m => m.HandlerType is not null).GroupBy(m => m.HandlerType!.Name).Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.Single().Route, StringComparer.Ordinal);
        foreach (var schema in document.Components?.Schemas?.Values ?? []) Visit(schema, routes, 0);
    }

    private static void Visit(IOpenApiSchema? schema, Dictionary<string, string> routes, int depth)
    {
        if (schema is not OpenApiSchema s || depth > 32) return;
        if (s.Extensions?.TryGetValue("x-ref", out var ext) == true && ext is JsonNodeExtension { Node: JsonValue value }
            && value.TryGetValue<string>(out var target) && !target.StartsWith('/') && routes.TryGetValue(target, out var route))
            s.Extensions["x-ref"] = new JsonNodeExtension(JsonValue.Create(route));
        foreach (var p in s.Properties?.Values ?? []) Visit(p, routes, depth + 1);
        Visit(s.Items, routes, depth + 1);
        Visit(s.AdditionalProperties, routes, depth + 1);
    }

    /// <summary>The <c>expand</c> query parameter of an endpoint whose references and back-references are <paramref name="names"/>.</summary>
    public static OpenApiParameter ExpandParameter(IReadOnlyList<string> names) => new()
    {
        Name = Endpoints.ExpandRequest.Parameter,
        In = ParameterLocation.Query,
        Required = false,
        Description = $"Embeds referenced and referencing records under `expand`: comma-separated names among {string.Join(", ", names)}, each optionally followed by "
                      + $"nested names with dots (at most {Endpoints.ExpandRequest.MaxDepth} levels, e.g. `a.b.c`). Back-references embed at most "
                      + $"{Endpoints.Expander.BackReferenceCap} records per record. What the caller may not read is left out. See docs/relations.md.",
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };
}
