using System.Text.Json.Nodes;
using LightS3.Model;

namespace LightS3.Documents;

/// <summary>A stored record: its JSON document (automatic fields included) and the store's ETag for it.</summary>
public sealed class Record(JsonObject data, string etag)
{
    /// <summary>The document, e.g. <c>{"id": ..., "title": ..., "created_at": ..., "updated_at": ..., "version": 1}</c>.</summary>
    public JsonObject Data { get; } = data;

    /// <summary>The ETag of the stored object: the concurrency token.</summary>
    public string ETag { get; } = etag;

    /// <summary>The record id.</summary>
    public string Id => Data[AutoFields.Id]?.GetValue<string>() ?? "";

    /// <summary>The record version (0 when the stored object lacks one).</summary>
    public long Version => IntegerOf(Data[AutoFields.Version]) ?? 0;

    /// <summary>
    /// Reads an integer whether the node was parsed (element-backed) or built in code (a boxed int, long…),
    /// which <c>JsonValue.GetValue&lt;long&gt;</c> alone does not.
    /// </summary>
    public static long? IntegerOf(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number && long.TryParse(v.ToJsonString(), out var n) ? n : null;
}
