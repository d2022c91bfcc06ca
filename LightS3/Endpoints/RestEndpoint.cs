using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using LightS3.Documents;
using LightS3.Model;

namespace LightS3.Endpoints;

/// <summary>
/// Base of an annotated endpoint class: its public read/write properties are the stored fields and the
/// validation schema (constraints via <see cref="FieldAttribute"/>), and its overridable hooks handle
/// requests. Register it with <c>app.Register("/books", typeof(BookEndpoint))</c>.
/// </summary>
/// <typeparam name="TSelf">The subclass itself, for typed access to records.</typeparam>
/// <example>
/// <code>
/// public class BookEndpoint : RestEndpoint&lt;BookEndpoint&gt;
/// {
///     [Field(MinLength = 1)] public string Title { get; set; } = "";
///     [Field(MinLength = 1)] public string Author { get; set; } = "";
/// }
/// </code>
/// </example>
public abstract class RestEndpoint<TSelf> : RestEndpointBase where TSelf : RestEndpoint<TSelf>, new()
{
    private static readonly JsonSerializerOptions TypedJson = new() { Converters = { new JsonStringEnumConverter() } };

    /// <summary>The record id (automatic).</summary>
    public string? Id { get; private set; }

    /// <summary>Creation time (automatic).</summary>
    public DateTimeOffset? CreatedAt { get; private set; }

    /// <summary>Last write time (automatic).</summary>
    public DateTimeOffset? UpdatedAt { get; private set; }

    /// <summary>Version, the optimistic-lock token (automatic).</summary>
    public long Version { get; private set; }

    /// <summary>A typed view of a stored record.</summary>
    public static TSelf FromRecord(Record record) => FromJson(record.Data);

    /// <summary>A typed view of a record document (declared fields and automatic fields).</summary>
    public static TSelf FromJson(JsonObject data)
    {
        var instance = new TSelf();
        foreach (var field in AttributeModelReader.FieldsOf(typeof(TSelf)))
            if (data.TryGetPropertyValue(field.Name, out var node) && field.Property is { } p)
                p.SetValue(instance, node?.Deserialize(p.PropertyType, TypedJson));
        instance.Id = data[AutoFields.Id]?.GetValue<string>();
        instance.CreatedAt = data[AutoFields.CreatedAt] is JsonValue c ? c.Deserialize<DateTimeOffset>() : null;
        instance.UpdatedAt = data[AutoFields.UpdatedAt] is JsonValue u ? u.Deserialize<DateTimeOffset>() : null;
        instance.Version = Record.IntegerOf(data[AutoFields.Version]) ?? 0;
        return instance;
    }

    /// <summary>The declared fields of this instance as a JSON body (what <see cref="RestEndpointBase.CreateAsync"/> takes).</summary>
    public JsonObject ToJson()
    {
        var body = new JsonObject();
        foreach (var field in AttributeModelReader.FieldsOf(typeof(TSelf)))
            if (field.Property is { } p) body[field.Name] = JsonSerializer.SerializeToNode(p.GetValue(this), p.PropertyType, TypedJson);
        return body;
    }
}
