using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using LightS3.Documents;
using LightS3.Endpoints;
using LightS3.Model;

namespace LightS3;

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

    /// <summary>
    /// A typed view of a record document (declared fields and automatic fields). A value that does not fit its
    /// property is a <see cref="RecordValidationException"/> (422) naming the field.
    /// </summary>
    public static TSelf FromJson(JsonObject data)
    {
        var instance = new TSelf();
        TypedRecords.Fill(instance, typeof(TSelf), data);
        // automatic fields are stored by the framework; in a request body they are the client's and may be anything
        instance.Id = data[AutoFields.Id] is JsonValue id && id.TryGetValue<string>(out var text) ? text : null;
        instance.CreatedAt = InstantOf(data[AutoFields.CreatedAt]);
        instance.UpdatedAt = InstantOf(data[AutoFields.UpdatedAt]);
        instance.Version = Record.IntegerOf(data[AutoFields.Version]) ?? 0;
        return instance;
    }

    private static DateTimeOffset? InstantOf(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var text)
        && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var instant)
            ? instant
            : null;

    /// <summary>The declared fields of this instance as a JSON body (what <see cref="RestEndpointBase.CreateAsync"/> takes).</summary>
    public JsonObject ToJson() => TypedRecords.ToJson(this, typeof(TSelf));
}
