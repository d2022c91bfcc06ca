using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LightS3.Documents;

/// <summary>Records to bytes and back: compact UTF-8 JSON, written exactly as responses are (so bytes can pass through).</summary>
public static class RecordCodec
{
    /// <summary>Serializer settings of stored records and responses: compact, non-ASCII text unescaped.</summary>
    public static readonly JsonSerializerOptions Options = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <summary>Serializes a document.</summary>
    public static byte[] Encode(JsonNode data) => JsonSerializer.SerializeToUtf8Bytes(data, Options);

    /// <summary>Parses a stored object; throws <see cref="CorruptRecordException"/> when it is not a JSON object.</summary>
    public static JsonObject Decode(string key, ReadOnlyMemory<byte> content)
    {
        try
        {
            return JsonNode.Parse(content.Span) as JsonObject ?? throw new CorruptRecordException(key);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            throw new CorruptRecordException(key, e);
        }
    }

    /// <summary>
    /// Checks, without building a document, that stored bytes are one well-formed JSON object — cheap enough
    /// to run on every read, so corrupt objects are never passed through to clients.
    /// </summary>
    public static void EnsureObject(string key, ReadOnlySpan<byte> content)
    {
        try
        {
            var reader = new Utf8JsonReader(content, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new CorruptRecordException(key);
            reader.Skip();
            if (reader.Read()) throw new CorruptRecordException(key); // trailing content
        }
        catch (JsonException e)
        {
            throw new CorruptRecordException(key, e);
        }
    }
}
