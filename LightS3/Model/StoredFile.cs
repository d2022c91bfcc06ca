using System.Text.Json;
using System.Text.Json.Serialization;

namespace LightS3;

/// <summary>
/// The value of a file field as clients see it: <c>{"name", "size", "content_type", "etag", "status", "uploaded_at"}</c>.
/// <see cref="Status"/> is <c>pending</c> between <c>…/upload</c> and a confirmation of the first file, then <c>ready</c>.
/// </summary>
[JsonConverter(typeof(StoredFileConverter))]
public sealed class StoredFile
{
    /// <summary>The sanitized file name the client gave (used for <c>Content-Disposition</c> on download).</summary>
    [JsonPropertyName("name")] public string? Name { get; set; }

    /// <summary>Size in bytes (the declared size while pending, if any).</summary>
    [JsonPropertyName("size")] public long? Size { get; set; }

    /// <summary>The content type.</summary>
    [JsonPropertyName("content_type")] public string? ContentType { get; set; }

    /// <summary>The stored object's ETag once ready.</summary>
    [JsonPropertyName("etag")] public string? ETag { get; set; }

    /// <summary><c>pending</c> or <c>ready</c>.</summary>
    [JsonPropertyName("status")] public string? Status { get; set; }

    /// <summary>When the upload was confirmed.</summary>
    [JsonPropertyName("uploaded_at")] public DateTimeOffset? UploadedAt { get; set; }
}

/// <summary>
/// Reads a stored file field into a <see cref="StoredFile"/>: LightS3's own bookkeeping (properties starting with
/// <c>_</c>) is skipped, and a value without a <c>status</c> (only bookkeeping left after a delete) reads as null.
/// </summary>
internal sealed class StoredFileConverter : JsonConverter<StoredFile?>
{
    public override StoredFile? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        using var doc = JsonDocument.ParseValue(ref reader);
        var o = doc.RootElement;
        if (o.ValueKind != JsonValueKind.Object || !o.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.String) return null;
        string? Text(string name) => o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return new StoredFile
        {
            Name = Text("name"),
            Size = o.TryGetProperty("size", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var n) ? n : null,
            ContentType = Text("content_type"),
            ETag = Text("etag"),
            Status = status.GetString(),
            UploadedAt = Text("uploaded_at") is { } at && DateTimeOffset.TryParse(at, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var instant) ? instant : null,
        };
    }

    public override void Write(Utf8JsonWriter writer, StoredFile? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteStartObject();
        writer.WriteString("name", value.Name);
        if (value.Size is { } size) writer.WriteNumber("size", size); else writer.WriteNull("size");
        writer.WriteString("content_type", value.ContentType);
        writer.WriteString("etag", value.ETag);
        writer.WriteString("status", value.Status);
        if (value.UploadedAt is { } at) writer.WriteString("uploaded_at", at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        else writer.WriteNull("uploaded_at");
        writer.WriteEndObject();
    }
}
