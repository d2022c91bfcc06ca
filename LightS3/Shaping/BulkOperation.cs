using System.Text.Json;
using System.Text.Json.Nodes;
using LightS3.Http;
using LightS3.Model;
using Microsoft.AspNetCore.Http;

namespace LightS3.Shaping;

/// <summary>What one line of a <c>_bulk</c> body asks for.</summary>
internal enum BulkAction
{
    /// <summary>Create a record (<c>POST</c>): 201.</summary>
    Create,
    /// <summary>Update a record (<c>PATCH</c>: a merge of <c>data</c> into it, with its <c>version</c>): 200.</summary>
    Update,
    /// <summary>Delete a record (<c>DELETE</c>, optionally only at <c>version</c>): 204.</summary>
    Delete,
}

/// <summary>
/// One parsed line of a <c>_bulk</c> body: either a record to create (any JSON object without an <c>op</c> member), or
/// <c>{"op": "create"|"update"|"delete", "id": ..., "version": ..., "data": {...}}</c>. A line that is not that is a
/// 400 (malformed JSON, not an object, unknown <c>op</c>) or 422 (missing <c>id</c> or <c>data</c>) for that line only.
/// </summary>
internal sealed record BulkOperation(BulkAction Action, string? Id, long? Version, JsonObject? Data)
{
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    /// <summary>The HTTP verb whose permission governs the action.</summary>
    public HttpVerbs Verb => Action switch
    {
        BulkAction.Create => HttpVerbs.Post,
        BulkAction.Update => HttpVerbs.Patch,
        _ => HttpVerbs.Delete,
    };

    /// <summary>Parses one line; throws <see cref="ApiProblemException"/> (400/422) for a malformed one.</summary>
    public static BulkOperation Parse(ReadOnlySpan<byte> line)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(line, documentOptions: ParseOptions);
        }
        catch (JsonException e)
        {
            throw new ApiProblemException(StatusCodes.Status400BadRequest, JsonSyntax.Describe(e));
        }
        catch (ArgumentException)
        {
            throw new ApiProblemException(StatusCodes.Status400BadRequest, "malformed JSON: this is not valid JSON text");
        }
        try
        {
            DecodeStrings(node); // System.Text.Json decodes strings lazily: invalid Unicode must fail here, not mid-write
        }
        catch (InvalidOperationException)
        {
            throw new ApiProblemException(StatusCodes.Status400BadRequest,
                "malformed JSON: a string is not valid Unicode (invalid UTF-8 bytes or an unpaired surrogate escape)");
        }
        if (node is not JsonObject o)
            throw new ApiProblemException(StatusCodes.Status400BadRequest, "each line must be a JSON object");
        if (!o.ContainsKey("op")) return new BulkOperation(BulkAction.Create, null, null, o);

        var action = (o["op"] as JsonValue)?.TryGetValue<string>(out var op) == true ? op : null;
        var parsed = action switch
        {
            "create" => BulkAction.Create,
            "update" => BulkAction.Update,
            "delete" => BulkAction.Delete,
            _ => throw new ApiProblemException(StatusCodes.Status400BadRequest, "'op' must be \"create\", \"update\" or \"delete\""),
        };
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string? id = null;
        if (parsed != BulkAction.Create)
        {
            if ((o["id"] as JsonValue)?.TryGetValue<string>(out var text) == true && text.Length > 0) id = text;
            else errors["id"] = ["is required: the id of the record to " + action];
        }
        long? version = null;
        if (o["version"] is { } v)
        {
            if (Record.IntegerOf(v) is { } n) version = n;
            else errors["version"] = ["must be an integer"];
        }
        var data = o["data"] as JsonObject;
        if (parsed != BulkAction.Delete && data is null) errors["data"] = ["is required: a JSON object with the record's fields"];
        if (errors.Count > 0) throw new ApiProblemException(StatusCodes.Status422UnprocessableEntity, "invalid bulk operation", errors);
        if (data is not null) o.Remove("data"); // detach it, to hand it to the binder on its own
        return new BulkOperation(parsed, id, version, data);
    }

    private static void DecodeStrings(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, value) in o) DecodeStrings(value);
                break;
            case JsonArray a:
                foreach (var item in a) DecodeStrings(item);
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                _ = v.GetValue<string>();
                break;
        }
    }
}
