using LightS3.Model;
using Microsoft.OpenApi;

namespace LightS3.OpenApi;

/// <summary>Describes a collection's change feed operations (<c>GET {route}/_changes</c> and <c>GET {route}/_events</c>; docs/realtime.md).</summary>
internal static class ChangeFeedDescription
{
    private const string Component = "ChangePage";
    private const string EntryComponent = "Change";

    /// <summary>Replaces what the generator inferred for one of the two operations.</summary>
    public static void Describe(OpenApiOperation operation, OpenApiDocument document, EndpointModel model, bool stream, string operationId)
    {
        var open = (model.Authentication ?? AuthSpec.Open).For(HttpVerbs.Get).Permission == AccessRule.AllowAnyName;
        var entry = DocumentParts.Schema(document, EntryComponent, _ => Entry());
        operation.OperationId = operationId;
        operation.Security = DocumentParts.Security(document, bearer: !open);
        operation.RequestBody = null;
        var since = new OpenApiParameter
        {
            Name = "since",
            In = ParameterLocation.Query,
            Description = "A cursor: the `next` of an earlier page, or an event id. Absent: from the oldest entry kept (`_changes`), or from now on (`_events`).",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        };
        var responses = new OpenApiResponses();
        if (stream)
        {
            operation.Summary = $"Realtime changes of {model.Collection} (Server-Sent Events)";
            operation.Description = "A `text/event-stream` of the collection's changes as they are committed, on any instance: each event has `id:` (its cursor) and `data:` (a Change). "
                + "Only changes of records the caller could GET are sent (read and object permission, queryset, the filter parameters given here), shaped by the read serializer. "
                + "Resume with `Last-Event-ID` (or `since`): missed changes come first, in order, each once. Idle streams get a `: heartbeat` comment. Same permission as the list.";
            operation.Parameters = [since, new OpenApiParameter
            {
                Name = "Last-Event-ID",
                In = ParameterLocation.Header,
                Description = "The id of the last event received: the stream resumes after it.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            }, .. ListParameters.Of(model)];
            responses["200"] = new OpenApiResponse
            {
                Description = "The event stream (open until the client leaves or the app stops).",
                Content = new Dictionary<string, OpenApiMediaType> { ["text/event-stream"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } } },
            };
            responses["429"] = DocumentParts.Error(document, "The client has too many open streams.");
        }
        else
        {
            operation.Summary = $"The change feed of {model.Collection}";
            operation.Description = "Acknowledged writes (create, update, delete, restore, purge) after `since`, in commit order per record and time order across records, "
                + "each verified against the record. Entries younger than the settle delay appear on a later read; continue from `next` to miss nothing and repeat nothing. "
                + "`record` is included when the caller may read it. Same permission as the list.";
            operation.Parameters = [since, new OpenApiParameter
            {
                Name = "limit",
                In = ParameterLocation.Query,
                Description = "Most entries in the page (1 to 1000, default 100).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1", Maximum = "1000" },
            }];
            var page = DocumentParts.Schema(document, Component, _ => new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "A page of the change feed.",
                Required = new HashSet<string> { "changes", "next" },
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["changes"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = entry },
                    ["next"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = "The cursor to read on from." },
                },
            });
            responses["200"] = DocumentParts.Ok("A page of changes.", page);
            responses["503"] = DocumentParts.Error(document, "Storage is unavailable; retry later.", DocumentParts.RetryAfter(required: false));
        }
        responses["400"] = DocumentParts.Error(document, stream ? "A malformed cursor or filter." : "A malformed cursor or limit.");
        if (!open)
        {
            responses["401"] = DocumentParts.Error(document, "No valid token.");
            responses["403"] = DocumentParts.Error(document, "The caller may not read this collection.");
        }
        operation.Responses = responses;
    }

    private static OpenApiSchema Entry() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "One acknowledged write.",
        Required = new HashSet<string> { "op", "id", "version", "at", "actor" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["op"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = ["create", "update", "delete", "restore", "purge"], Description = "What happened." },
            ["id"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The record id." },
            ["version"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Description = "The version written (a delete without soft delete, or a purge: the last version)." },
            ["at"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time", Description = "The version's updated_at, or the time of the delete." },
            ["actor"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = "The writer's sub." },
            ["record"] = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "The record as that version wrote it, when the caller may read it (never for a delete or purge)." },
        },
    };
}
