using System.Buffers;
using System.Text.Json;

namespace LightS3.Query;

/// <summary>
/// Applies a <see cref="FieldSelection"/> to a UTF-8 JSON object in one forward pass: a <see cref="Utf8JsonReader"/>
/// walks the document, selected members are copied to a <see cref="Utf8JsonWriter"/> as raw bytes (never parsed into a
/// DOM and re-serialized), the rest are skipped. Members keep their document order. Lists of objects under a nested
/// selection are projected element by element; any other value under a nested selection is kept as it is.
/// </summary>
internal static class JsonProjection
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 128 };
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true, Indented = false };

    /// <summary>The members of <paramref name="json"/> (a JSON object) that <paramref name="selection"/> keeps.</summary>
    public static ReadOnlyMemory<byte> Project(ReadOnlyMemory<byte> json, FieldSelection selection)
    {
        var output = new ArrayBufferWriter<byte>(Math.Max(64, json.Length / 2));
        using (var writer = new Utf8JsonWriter(output, WriterOptions))
        {
            var reader = new Utf8JsonReader(json.Span, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("the document is not a JSON object");
            WriteObject(ref reader, writer, json.Span, selection);
        }
        return output.WrittenMemory;
    }

    // the reader is on a StartObject; leaves it on the matching EndObject
    private static void WriteObject(ref Utf8JsonReader reader, Utf8JsonWriter writer, ReadOnlySpan<byte> source, FieldSelection selection)
    {
        writer.WriteStartObject();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (!selection.Members.TryGetValue(name, out var inner))
            {
                reader.Skip();
                continue;
            }
            writer.WritePropertyName(name);
            WriteValue(ref reader, writer, source, inner);
        }
        writer.WriteEndObject();
    }

    private static void WriteValue(ref Utf8JsonReader reader, Utf8JsonWriter writer, ReadOnlySpan<byte> source, FieldSelection? inner)
    {
        if (inner is not null && reader.TokenType == JsonTokenType.StartObject)
        {
            WriteObject(ref reader, writer, source, inner);
            return;
        }
        if (inner is not null && reader.TokenType == JsonTokenType.StartArray)
        {
            writer.WriteStartArray();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) WriteValue(ref reader, writer, source, inner);
            writer.WriteEndArray();
            return;
        }
        // the whole value, copied as it is stored
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        var end = (int)reader.BytesConsumed;
        writer.WriteRawValue(source[start..end], skipInputValidation: true);
    }
}
