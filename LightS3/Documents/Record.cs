using System.Text.Json;
using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Model;

namespace LightS3;

/// <summary>
/// A stored record: its JSON document (automatic fields included) and the store's ETag for it.
/// A record read from the store keeps its bytes and parses them only when <see cref="Data"/> is first used,
/// so a plain GET or list serves the stored bytes as they are, with no parse and no re-serialization.
/// </summary>
public sealed class Record
{
    private readonly string _key;
    private readonly ReadOnlyMemory<byte> _raw;
    private JsonObject? _data;
    private bool _exposed;

    /// <summary>A record built in code from a document.</summary>
    public Record(JsonObject data, string etag)
    {
        _key = "";
        _data = data;
        _exposed = true;
        ETag = etag;
    }

    /// <summary>A record from stored bytes (already checked to be a JSON object); <paramref name="data"/> if already parsed.</summary>
    internal Record(string key, ReadOnlyMemory<byte> raw, string etag, JsonObject? data = null)
    {
        _key = key;
        _raw = raw;
        _data = data;
        ETag = etag;
    }

    /// <summary>The document, e.g. <c>{"id": ..., "title": ..., "created_at": ..., "updated_at": ..., "version": 1}</c>.</summary>
    public JsonObject Data
    {
        get
        {
            _exposed = true; // the caller may change it: from now on, serialize the document, not the stored bytes
            return _data ??= RecordCodec.Decode(_key, _raw);
        }
    }

    /// <summary>The ETag of the stored object: the concurrency token.</summary>
    public string ETag { get; }

    /// <summary>The record id.</summary>
    public string Id => Peek()[AutoFields.Id] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";

    /// <summary>The record version (0 when the stored object lacks one).</summary>
    public long Version => IntegerOf(Peek()[AutoFields.Version]) ?? 0;

    /// <summary>The record as UTF-8 JSON: the stored bytes unless the document was handed out.</summary>
    public ReadOnlyMemory<byte> ToUtf8() => _exposed || _raw.IsEmpty ? RecordCodec.Encode(_data!) : _raw;

    /// <summary>Read-only access for the framework (matching, ordering): does not mark the document as handed out.</summary>
    internal JsonObject Peek() => _data ??= RecordCodec.Decode(_key, _raw);

    /// <summary>
    /// Reads an integer whether the node was parsed (element-backed) or built in code (a boxed int, long…),
    /// which <c>JsonValue.GetValue&lt;long&gt;</c> alone does not.
    /// </summary>
    public static long? IntegerOf(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && long.TryParse(v.ToJsonString(), out var n) ? n : null;
}
