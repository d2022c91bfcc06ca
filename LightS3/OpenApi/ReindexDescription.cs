using Microsoft.OpenApi;

namespace LightS3.OpenApi;

/// <summary>Describes a collection's admin reindex operations (<c>POST/GET {route}/_reindex</c>).</summary>
internal static class ReindexDescription
{
    private const string Component = "ReindexStatus";

    /// <summary>Replaces what the generator inferred for one of the two operations.</summary>
    public static void Describe(OpenApiOperation operation, OpenApiDocument document, Model.EndpointModel model, bool start, string operationId)
    {
        var status = DocumentParts.Schema(document, Component, _ => Schema());
        operation.OperationId = operationId;
        operation.Summary = start ? $"Rebuild the indexes of {model.Collection}" : $"Follow the index rebuild of {model.Collection}";
        operation.Description = (start
            ? "Starts rebuilding the collection's index entries in the background (writes missing entries, removes stale ones) and answers 202 with its status; follow it with GET. One rebuild per collection runs at a time, across instances (409 while one runs)."
            : "The status of the collection's last index rebuild: `idle` when never run, `running` with `phase`, `processed` and `total`, then `done` with the counts or `failed` with `error`.")
            + " Permission: IsAdminUser.";
        operation.Security = DocumentParts.Security(document, bearer: true);
        operation.Parameters = null;
        operation.RequestBody = null;
        var responses = new OpenApiResponses();
        if (start) responses["202"] = DocumentParts.Ok("Started; the running status.", status, DocumentParts.Location());
        else responses["200"] = DocumentParts.Ok("The status.", status);
        responses["401"] = DocumentParts.Error(document, "No valid token.");
        responses["403"] = DocumentParts.Error(document, "The caller is not an admin.");
        if (start) responses["409"] = DocumentParts.Error(document, "A rebuild of this collection is already running.");
        responses["503"] = DocumentParts.Error(document, "Storage is unavailable; retry later.", DocumentParts.RetryAfter(required: false));
        operation.Responses = responses;
    }

    private static OpenApiSchema Schema()
    {
        static OpenApiSchema Count(string description, bool nullable = true) =>
            new() { Type = nullable ? JsonSchemaType.Integer | JsonSchemaType.Null : JsonSchemaType.Integer, Format = "int64", Minimum = "0", Description = description };
        static OpenApiSchema Time(string description) => new() { Type = JsonSchemaType.String | JsonSchemaType.Null, Format = "date-time", Description = description };
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "An index rebuild's status.",
            Required = new HashSet<string> { "status", "processed" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = ["idle", "running", "done", "failed"], Description = "Where the rebuild is." },
                ["phase"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = "records: writing missing entries; entries: removing stale ones." },
                ["processed"] = Count("Items of the phase done.", nullable: false),
                ["total"] = Count("Items of the phase in all, once known."),
                ["records"] = Count("Records visited (done)."),
                ["entries_written"] = Count("Missing entries written (done)."),
                ["entries_removed"] = Count("Stale entries removed (done)."),
                ["error"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = "Why it failed." },
                ["started_at"] = Time("When it started."),
                ["updated_at"] = Time("Its last progress."),
                ["finished_at"] = Time("When it ended."),
            },
            AdditionalPropertiesAllowed = false,
        };
    }
}
