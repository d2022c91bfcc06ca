using LightS3.Model;
using Microsoft.OpenApi;

namespace LightS3.OpenApi;

/// <summary>Writes one LightS3 operation (list, create, retrieve, update, partial_update, delete) from its endpoint model.</summary>
internal static class OperationDescription
{
    /// <summary>Replaces what the generator inferred for <paramref name="operation"/> with the model's description.</summary>
    public static void Describe(OpenApiOperation operation, OpenApiDocument document, EndpointModel model, string action, string operationId, EndpointSchemas schemas)
    {
        var noun = schemas.Read;
        var verb = action switch
        {
            "list" or "retrieve" => HttpVerbs.Get,
            "create" => HttpVerbs.Post,
            "update" => HttpVerbs.Put,
            "partial_update" => HttpVerbs.Patch,
            _ => HttpVerbs.Delete,
        };
        var rule = (model.Authentication ?? AuthSpec.Open).For(verb);
        var open = rule.Permission == AccessRule.AllowAnyName;

        operation.OperationId = operationId;
        operation.Summary = action switch
        {
            "list" => $"List {model.Collection}",
            "create" => $"Create a {noun}",
            "retrieve" => $"Retrieve a {noun}",
            "update" => $"Replace a {noun}",
            "partial_update" => $"Update part of a {noun}",
            _ => $"Delete a {noun}",
        };
        operation.Description = (action switch
        {
            "list" => "Lists records, filtered, searched, ordered and paginated as the query parameters below allow.",
            "create" => "Validates the body and stores a new record. Unique fields are enforced atomically (409 when taken).",
            "retrieve" => "One record by id. Send a previous ETag in If-None-Match to get 304 when it has not changed.",
            "update" => "Replaces every field. Send the `version` you read, or its ETag in If-Match: a stale one is answered 409; neither is 422.",
            "partial_update" => "Changes only the fields sent. Send the `version` you read, or its ETag in If-Match: a stale one is answered 409; neither is 422.",
            _ => "Deletes a record; with If-Match, only while it is still that version (else 409).",
        }) + $" Permission: {rule.Permission}.";
        operation.Security = DocumentParts.Security(document, bearer: !open);

        var onItem = action is not ("list" or "create");
        var parameters = new List<IOpenApiParameter>();
        if (onItem) parameters.Add(DocumentParts.IdParameter($"The {noun}'s id."));
        if (action == "list") parameters.AddRange(ListParameters.Of(model));
        if (action is "list" or "retrieve") parameters.Add(ShapingDescription.FieldsParameter(model, action == "list" ? schemas.ProjectionList : schemas.Projection));
        if (action == "create") parameters.Add(ShapingDescription.IdempotencyKey());
        if (action == "retrieve") parameters.Add(DocumentParts.RequestHeader("If-None-Match", "ETags you hold: 304 when the record still has one of them."));
        if (action is "update" or "partial_update" or "delete")
            parameters.Add(DocumentParts.RequestHeader("If-Match", "The ETag you read (or `*`): the write happens only while the record still has it, else 409."));
        operation.Parameters = parameters.Count == 0 ? null : parameters;

        operation.RequestBody = action switch
        {
            "create" => DocumentParts.Body(new OpenApiSchemaReference(schemas.Create, document)),
            "update" => DocumentParts.Body(new OpenApiSchemaReference(schemas.Update, document)),
            "partial_update" => DocumentParts.Body(new OpenApiSchemaReference(schemas.Patch, document)),
            _ => null,
        };

        var responses = new OpenApiResponses();
        var cached = model.Cache is not null && verb == HttpVerbs.Get;
        var readHeaders = cached ? new[] { DocumentParts.ETag(), DocumentParts.XCache() } : [DocumentParts.ETag()];
        var written = new OpenApiSchemaReference(schemas.WriteResponse, document);
        switch (action)
        {
            case "list":
                responses["200"] = cached
                    ? DocumentParts.Ok("The records.", new OpenApiSchemaReference(schemas.List, document), DocumentParts.XCache())
                    : DocumentParts.Ok("The records.", new OpenApiSchemaReference(schemas.List, document));
                responses["400"] = DocumentParts.Error(document, "A query parameter is not allowed or not valid (see `errors`).");
                break;
            case "create":
                responses["201"] = DocumentParts.Ok("Created.", written, DocumentParts.ETag(), DocumentParts.Location());
                AddBodyErrors(responses, document);
                responses["409"] = DocumentParts.Error(document, "A unique value is taken, or a request with this Idempotency-Key is still in progress.");
                break;
            case "retrieve":
                responses["200"] = DocumentParts.Ok("The record.", new OpenApiSchemaReference(schemas.Read, document), readHeaders);
                responses["304"] = DocumentParts.Empty("Not modified: If-None-Match holds the current ETag.", DocumentParts.ETag());
                responses["400"] = DocumentParts.Error(document, "The `fields` parameter names a field the response does not have.");
                responses["404"] = DocumentParts.Error(document, "No record with this id.");
                break;
            case "update" or "partial_update":
                responses["200"] = DocumentParts.Ok("The updated record.", written, DocumentParts.ETag());
                AddBodyErrors(responses, document);
                responses["404"] = DocumentParts.Error(document, "No record with this id.");
                responses["409"] = DocumentParts.Error(document, "Version conflict (stale version or If-Match), or a unique value is taken.");
                break;
            default:
                responses["204"] = DocumentParts.Empty("Deleted.");
                responses["404"] = DocumentParts.Error(document, "No record with this id.");
                responses["409"] = DocumentParts.Error(document, "If-Match does not hold the current ETag.");
                break;
        }
        responses["401"] = DocumentParts.Error(document, open
            ? "The bearer token sent is invalid (an open operation needs none)."
            : "Credentials are missing or invalid.");
        if (!open) responses["403"] = DocumentParts.Error(document, "The caller may not do this.");
        if (model.RateLimit is { } limit)
            responses["429"] = DocumentParts.Error(document, $"More than {limit.Requests} requests per {limit.Window.TotalSeconds:0} s from this client.", DocumentParts.RetryAfter(required: true));
        responses["503"] = DocumentParts.Error(document, "Storage is unavailable; retry later.", DocumentParts.RetryAfter(required: false));
        responses["default"] = DocumentParts.Error(document, "Any other error.");
        operation.Responses = responses;
    }

    private static void AddBodyErrors(OpenApiResponses responses, OpenApiDocument document)
    {
        responses["400"] = DocumentParts.Error(document, "The body is not a JSON object.");
        responses["413"] = DocumentParts.Error(document, "The body is larger than the app's limit.");
        responses["415"] = DocumentParts.Error(document, "The body is not application/json.");
        responses["422"] = DocumentParts.Error(document, "Validation failed: `errors` maps each field to its messages.");
    }
}
