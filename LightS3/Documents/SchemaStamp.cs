using System.Text.Json;

namespace LightS3.Documents;

/// <summary>
/// The schema version a stored record carries: <c>"_schema": "&lt;id of the last migration applied to it&gt;"</c>
/// (absent: no migration yet). Written in the same conditional PUT as the migrated fields, so a record is either
/// wholly before or wholly after a migration — which is what makes a resumed migration never apply one twice.
/// </summary>
internal static class SchemaStamp
{
    /// <summary>The property name.</summary>
    public const string Field = "_schema";

    /// <summary>The stamp of a document; null when absent or not a string.</summary>
    public static string? Read(System.Text.Json.Nodes.JsonObject data) =>
        data[Field] is System.Text.Json.Nodes.JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>
    /// The stamp of a stored JSON object, read without building a document (top-level properties only, nothing
    /// allocated but the result); null when absent or not a string.
    /// </summary>
    public static string? Read(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var match = reader.ValueTextEquals(Field);
                if (!reader.Read()) return null;
                if (match) return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }
}
