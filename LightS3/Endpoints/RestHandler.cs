using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Endpoints;

namespace LightS3;

/// <summary>
/// The handler of an endpoint whose record type is a separate class (FastEndpoints-style), for those who prefer the
/// model apart from the code that serves it: <c>public class BookHandler(IClock clock) : RestHandler&lt;Book&gt;</c>,
/// registered as <c>app.Register&lt;BookHandler&gt;("/books")</c>. <typeparamref name="TRecord"/> declares the fields
/// (with <see cref="FieldAttribute"/>) and may carry the endpoint's class attributes (<c>[Filtering]</c>,
/// <c>[Pagination]</c>, <c>[Authentication]</c> …); the same attribute on the handler wins. Everything else — hooks,
/// constructor injection, validators (<c>AbstractValidator&lt;TRecord&gt;</c>) — works as with
/// <see cref="RestEndpoint{TSelf}"/>: it is the same pipeline. The record class must not declare the automatic fields
/// (id, created_at, updated_at, version); read them from the <see cref="Record"/>.
/// </summary>
public abstract class RestHandler<TRecord> : RestEndpointBase where TRecord : class, new()
{
    /// <summary>The typed fields of <paramref name="record"/>.</summary>
    public static TRecord FromRecord(Record record) => FromJson(record.Data);

    /// <summary>The typed fields of a JSON body (422 for a value that does not fit its property).</summary>
    public static TRecord FromJson(JsonObject data)
    {
        var instance = new TRecord();
        TypedRecords.Fill(instance, typeof(TRecord), data);
        return instance;
    }

    /// <summary>The fields of <paramref name="value"/> as a JSON body, e.g. to create a record from code.</summary>
    public static JsonObject ToJson(TRecord value) => TypedRecords.ToJson(value, typeof(TRecord));
}
