using LightS3.Model;
using Microsoft.OpenApi;

namespace LightS3.OpenApi;

/// <summary>
/// Describes what LightS3.Shaping adds: the <c>fields</c> query parameter of list and retrieve, the
/// <c>Idempotency-Key</c> header of create and bulk, and the <c>_bulk</c> and <c>_export</c> operations.
/// </summary>
internal static class ShapingDescription
{
    private const string BulkResult = "BulkResult";
    private const string Ndjson = "application/x-ndjson";

    /// <summary>The extension on the <c>fields</c> parameter naming the schema of a projected 200 response.</summary>
    public const string ProjectionExtension = "x-lights3-projection";

    /// <summary>
    /// The <c>fields</c> query parameter. With <paramref name="projection"/> (a component name), the parameter names the
    /// schema a projected 200 response follows, in its description and in <see cref="ProjectionExtension"/>.
    /// </summary>
    public static OpenApiParameter FieldsParameter(EndpointModel model, string? projection = null)
    {
        var parameter = new OpenApiParameter
        {
            Name = Query.FieldSelection.Parameter,
            In = ParameterLocation.Query,
            Required = false,
            Description = "Comma-separated fields to return, with dotted paths into nested objects (e.g. `id,title,author.name`); "
                          + $"only fields the response shows (allowed at the top: {string.Join(", ", TopLevel(model))}). An unknown name is a 400. "
                          + (projection is null
                              ? "The record schema then holds for the selected members only"
                              : $"The 200 response then follows `{projection}` (the same members, none required)")
                          + "; a projected record has a weak ETag (`W/\"...\"`).",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        };
        if (projection is not null)
            parameter.Extensions = new Dictionary<string, IOpenApiExtension>
            {
                [ProjectionExtension] = new JsonNodeExtension(System.Text.Json.Nodes.JsonValue.Create($"#/components/schemas/{projection}")),
            };
        return parameter;
    }

    /// <summary>The <c>Idempotency-Key</c> request header.</summary>
    public static OpenApiParameter IdempotencyKey() => DocumentParts.RequestHeader(Endpoints.IdempotentRequests.Header,
        "Makes the request safe to retry: a retry with the same key and body answers the first response (with `Idempotent-Replayed: true`) and writes nothing; "
        + "the same key with another body is a 422. Keys are per caller and path, 1-255 visible ASCII characters, remembered 24 hours by default.");

    /// <summary>Replaces what the generator inferred for <c>POST {route}/_bulk</c>.</summary>
    public static void DescribeBulk(OpenApiOperation operation, OpenApiDocument document, EndpointModel model, string operationId)
    {
        var result = DocumentParts.Schema(document, BulkResult, _ => ResultSchema());
        operation.OperationId = operationId;
        operation.Summary = $"Write many {model.Collection} records";
        operation.Description = "An `application/x-ndjson` body, one JSON object per line: a record to create, or "
                                + "`{\"op\": \"create\"|\"update\"|\"delete\", \"id\": ..., \"version\": ..., \"data\": {...}}` (update merges `data` like PATCH and needs `version`). "
                                + "Answers 200 with one NDJSON result per non-blank line, in line order. Not atomic: each line is a full write with the "
                                + "endpoint's validation, unique values, indexes and permissions, and succeeds or fails on its own.";
        operation.Security = DocumentParts.Security(document, bearer: (model.Authentication ?? AuthSpec.Open).For(HttpVerbs.Post).Permission != AccessRule.AllowAnyName);
        operation.Parameters = [IdempotencyKey()];
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType> { [Ndjson] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "One line: a record, or an operation." } } },
        };
        operation.Responses = new OpenApiResponses
        {
            ["200"] = new OpenApiResponse
            {
                Description = "One result per line, in order.",
                Content = new Dictionary<string, OpenApiMediaType> { [Ndjson] = new() { Schema = result } },
            },
            ["400"] = DocumentParts.Error(document, "The Idempotency-Key is malformed."),
            ["401"] = DocumentParts.Error(document, "Credentials are missing or invalid."),
            ["409"] = DocumentParts.Error(document, "A request with this Idempotency-Key is still in progress."),
            ["413"] = DocumentParts.Error(document, "The body is larger than the app's bulk limit."),
            ["415"] = DocumentParts.Error(document, "The body is not application/x-ndjson."),
            ["422"] = DocumentParts.Error(document, "The Idempotency-Key was used with another body."),
            ["503"] = DocumentParts.Error(document, "Storage is unavailable; retry later.", DocumentParts.RetryAfter(required: false)),
            ["default"] = DocumentParts.Error(document, "Any other error."),
        };
        AddRateLimit(operation.Responses, document, model);
    }

    private static void AddRateLimit(OpenApiResponses responses, OpenApiDocument document, EndpointModel model)
    {
        if (model.RateLimit is { } limit)
            responses["429"] = DocumentParts.Error(document, $"More than {limit.Requests} requests per {limit.Window.TotalSeconds:0} s from this client.", DocumentParts.RetryAfter(required: true));
    }

    /// <summary>Replaces what the generator inferred for <c>GET {route}/_export</c>.</summary>
    public static void DescribeExport(OpenApiOperation operation, OpenApiDocument document, EndpointModel model, string operationId)
    {
        operation.OperationId = operationId;
        operation.Summary = $"Export {model.Collection}";
        operation.Description = "Every record the list would return for the same filters, search and ordering, streamed: NDJSON (one record per line) by default, "
                                + "CSV with `format=csv` or `Accept: text/csv` (nested objects as dotted columns, lists, maps and json as JSON text). "
                                + "The read permission (records it refuses are left out), the read serializer and `fields` apply.";
        var open = (model.Authentication ?? AuthSpec.Open).For(HttpVerbs.Get).Permission == AccessRule.AllowAnyName;
        operation.Security = DocumentParts.Security(document, bearer: !open);
        var parameters = ListParameters.Of(model).Where(p => p.Name is not ("page" or "page_size" or "cursor")).Cast<IOpenApiParameter>().ToList();
        parameters.Add(FieldsParameter(model));
        parameters.Add(new OpenApiParameter
        {
            Name = "format",
            In = ParameterLocation.Query,
            Required = false,
            Description = "ndjson (default) or csv.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [System.Text.Json.Nodes.JsonValue.Create("ndjson"), System.Text.Json.Nodes.JsonValue.Create("csv")] },
        });
        operation.Parameters = parameters;
        operation.RequestBody = null;
        var responses = new OpenApiResponses
        {
            ["200"] = new OpenApiResponse
            {
                Description = "The records, streamed.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [Ndjson] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "One record per line, as the list shows it." } },
                    ["text/csv"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A header line, then one row per record." } },
                },
            },
            ["400"] = DocumentParts.Error(document, "A query parameter is not allowed or not valid (see `errors`)."),
            ["401"] = DocumentParts.Error(document, open ? "The bearer token sent is invalid (an open operation needs none)." : "Credentials are missing or invalid."),
        };
        if (!open) responses["403"] = DocumentParts.Error(document, "The caller may not do this.");
        responses["503"] = DocumentParts.Error(document, "Storage is unavailable; retry later.", DocumentParts.RetryAfter(required: false));
        responses["default"] = DocumentParts.Error(document, "Any other error.");
        AddRateLimit(responses, document, model);
        operation.Responses = responses;
    }

    private static IEnumerable<string> TopLevel(EndpointModel model) => model.Serializer.Read
        ?? [AutoFields.Id, .. model.Fields.Select(f => f.Name), AutoFields.CreatedAt, AutoFields.UpdatedAt, AutoFields.Version];

    private static OpenApiSchema ResultSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "The result of one line of a bulk request.",
        Required = new HashSet<string> { "line", "status", "id" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["line"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Description = "The line number in the body (from 1)." },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "201 created, 200 updated, 204 deleted, or the error status a single-record request would get (400, 403, 404, 409, 422, 503…)." },
            ["id"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = "The record's id, when known." },
            ["version"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Description = "The record's new version (201, 200)." },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Why the line failed." },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Per-field messages (422, 409 on a unique value).",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        },
        AdditionalPropertiesAllowed = false,
    };
}
