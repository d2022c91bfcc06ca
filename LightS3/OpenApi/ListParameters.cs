using System.Text.Json.Nodes;
using LightS3.Model;
using LightS3.Query;
using Microsoft.OpenApi;

namespace LightS3.OpenApi;

/// <summary>
/// The query parameters a list operation accepts, exactly as its filtering and pagination settings allow: each filter
/// field as <c>field</c> and <c>field__op</c>, <c>search</c>, <c>ordering</c>, and <c>page</c>/<c>page_size</c> or <c>cursor</c>/<c>page_size</c>.
/// </summary>
internal static class ListParameters
{
    private static readonly FilterOperator[] Comparisons = [FilterOperator.Eq, FilterOperator.Ne, FilterOperator.Gt, FilterOperator.Gte, FilterOperator.Lt, FilterOperator.Lte];
    private static readonly FilterOperator[] Textual = [FilterOperator.Contains, FilterOperator.IContains, FilterOperator.StartsWith, FilterOperator.EndsWith];

    /// <summary>The parameters of <paramref name="model"/>'s list operation.</summary>
    public static IEnumerable<OpenApiParameter> Of(EndpointModel model)
    {
        foreach (var name in model.Filtering.Fields)
        {
            if (model.Resolve(name) is not { } field) continue;
            if (field.MultiValued)
            {
                yield return Query($"{name}__contains", new OpenApiSchema { Type = JsonSchemaType.String }, $"Filter: {name} holds every one of these comma-separated values.");
                yield return Query($"{name}__overlaps", new OpenApiSchema { Type = JsonSchemaType.String }, $"Filter: {name} holds at least one of these comma-separated values.");
                yield return Query($"{name}__isnull", new OpenApiSchema { Type = JsonSchemaType.Boolean }, $"true: {name} is null; false: it is not.");
                continue;
            }
            yield return Query(name, Value(field), $"Records whose {name} equals this value.");
            foreach (var op in Comparisons)
            {
                if (op != FilterOperator.Eq && op != FilterOperator.Ne && field.Kind == FieldKind.Bool) continue;
                yield return Query($"{name}__{FilterOperators.Name(op)}", Value(field), $"Filter: {name} {Symbol(op)} value.");
            }
            foreach (var op in new[] { FilterOperator.In, FilterOperator.Nin })
                yield return Query($"{name}__{FilterOperators.Name(op)}", new OpenApiSchema { Type = JsonSchemaType.String },
                    $"Filter: {name} is {(op == FilterOperator.In ? "one" : "none")} of these comma-separated values.");
            if (field.Kind == FieldKind.String)
                foreach (var op in Textual)
                    yield return Query($"{name}__{FilterOperators.Name(op)}", new OpenApiSchema { Type = JsonSchemaType.String }, $"Filter: {name} {Describe(op)} this text.");
            yield return Query($"{name}__isnull", new OpenApiSchema { Type = JsonSchemaType.Boolean }, $"true: {name} is null; false: it is not.");
        }
        if (model.Filtering.Search.Count > 0)
            yield return Query("search", new OpenApiSchema { Type = JsonSchemaType.String },
                $"Case-insensitive text search over {string.Join(", ", model.Filtering.Search)}.");
        if (model.Filtering.Ordering.Count > 0)
            yield return new OpenApiParameter
            {
                Name = "ordering",
                In = ParameterLocation.Query,
                Description = "Sort keys, comma-separated; a leading '-' sorts descending.",
                Style = ParameterStyle.Form,
                Explode = false,
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array,
                    UniqueItems = true,
                    Items = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        Enum = [.. model.Filtering.Ordering.SelectMany(f => new[] { f, "-" + f }).Select(v => (JsonNode)JsonValue.Create(v))],
                    },
                },
            };
        var pagination = model.Pagination;
        if (pagination.Style == PaginationStyle.PageNumber)
            yield return Query("page", new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Default = JsonValue.Create(1) }, "Page number, from 1.");
        if (pagination.Style == PaginationStyle.Cursor)
            yield return Query("cursor", new OpenApiSchema { Type = JsonSchemaType.String }, "A `next` or `previous` cursor from an earlier page of the same query.");
        if (pagination.Style != PaginationStyle.None)
            yield return Query("page_size", new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Default = JsonValue.Create(pagination.PageSize) },
                $"Records per page (default {pagination.PageSize}; larger values are capped at {pagination.MaxPageSize}).");
    }

    /// <summary>A filter value: the field's type and format (and enum values), without body constraints.</summary>
    private static OpenApiSchema Value(FieldModel field)
    {
        var schema = FieldSchemas.Base(field.Kind);
        if (field.Kind == FieldKind.Enum) schema.Enum = [.. field.EnumValues.Select(v => (JsonNode)JsonValue.Create(v))];
        return schema;
    }

    private static OpenApiParameter Query(string name, OpenApiSchema schema, string description) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Required = false,
        Description = description,
        Schema = schema,
    };

    private static string Symbol(FilterOperator op) => op switch
    {
        FilterOperator.Eq => "=",
        FilterOperator.Ne => "≠",
        FilterOperator.Gt => ">",
        FilterOperator.Gte => "≥",
        FilterOperator.Lt => "<",
        _ => "≤",
    };

    private static string Describe(FilterOperator op) => op switch
    {
        FilterOperator.Contains => "contains (case-sensitive)",
        FilterOperator.IContains => "contains (case-insensitive)",
        FilterOperator.StartsWith => "starts with",
        _ => "ends with",
    };
}
