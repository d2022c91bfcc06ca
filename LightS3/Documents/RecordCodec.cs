using System.Text.Json;
using System.Text.Json.Nodes;

namespace LightS3.Documents;

/// <summary>Records to bytes and back: compact UTF-8 JSON.</summary>
public static class RecordCodec
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    /// <summary>Serializes a document.</summary>
    public static byte[] Encode(JsonObject data) => JsonSerializer.SerializeToUtf8Bytes(data, Options);

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
}
