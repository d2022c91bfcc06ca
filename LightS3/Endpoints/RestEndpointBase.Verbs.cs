using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Http;
using LightS3.Query;
using LightS3.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace LightS3;

public abstract partial class RestEndpointBase
{
    /// <summary>Handles <c>GET /route</c> (<paramref name="id"/> null) and <c>GET /route/{id}</c>.</summary>
    public virtual async Task<IResult> GetAsync(string? id)
    {
        var selection = Query.FieldSelection.FromQuery(Context.Model, Context.Http.Request); // ?fields=: 400 on an unknown name
        if (id is null)
        {
            var (query, request) = QueryStringParser.Parse(Context.Model, Context.Http.Request.Query, Context.Options.MaxListResults,
                Context.Services.GetService(typeof(CursorSigner)) as CursorSigner);
            var page = await ListAsync(query, request);
            var expansion = await Endpoints.Expander.PrepareAsync(Context, page.Records); // ?expand=: one fetch for the whole page
            return ListResponses.Render(Context.Http, query, request, page, r => expansion is null ? RenderRead(r, selection) : expansion.Render(r, RenderRead(r, selection)));
        }
        var record = await FindAsync(id, viaRetrieve: true) ?? throw new RecordNotFoundException(id);
        await Context.EnsureObjectPermissionAsync(record);
        // an expanded body changes with the embedded records: no ETag of the record's own, no 304
        if (await Endpoints.Expander.PrepareAsync(Context, [record]) is { } expanded)
            return JsonResults.Bytes(StatusCodes.Status200OK, expanded.Render(record, RenderRead(record, selection)));
        // a projection is not the stored bytes: its validator is weak (W/), still the record's version
        if (selection is null) SetETag(record);
        else Context.Http.Response.Headers[HeaderNames.ETag] = "W/" + ETags.Quote(record.ETag);
        var ifNoneMatch = Context.Http.Request.Headers.IfNoneMatch.ToString();
        if (ifNoneMatch.Length > 0 && IfMatchHolds(ifNoneMatch, record.ETag)) return Results.StatusCode(StatusCodes.Status304NotModified);
        return JsonResults.Bytes(StatusCodes.Status200OK, RenderRead(record, selection));
    }

    /// <summary>The record as a GET shows it, narrowed to <paramref name="selection"/> when given (list, retrieve, export).</summary>
    internal ReadOnlyMemory<byte> RenderRead(Record record, Query.FieldSelection? selection) =>
        selection is null ? Render(record, read: true) : Query.JsonProjection.Project(Render(record, read: true), selection);

    /// <summary>Handles <c>POST /route</c>: 201 with the record, Location and ETag.</summary>
    public virtual async Task<IResult> PostAsync()
    {
        var record = await CreateAsync(Context.Binder.Canonicalize(await RequestBody.ReadObjectAsync(Context.Http, Context.Options.MaxBodyBytes), Validation.BindMode.Create));
        SetETag(record);
        Context.Http.Response.Headers.Location = $"{Context.Http.Request.PathBase}{Context.Model.Route}/{record.Id}";
        return JsonResults.Bytes(StatusCodes.Status201Created, Render(record, read: false));
    }

    /// <summary>Handles <c>PUT /route/{id}</c> (full update).</summary>
    public virtual Task<IResult> PutAsync(string id) => WriteAsync(id, partial: false);

    /// <summary>Handles <c>PATCH /route/{id}</c> (partial update).</summary>
    public virtual Task<IResult> PatchAsync(string id) => WriteAsync(id, partial: true);

    /// <summary>Handles <c>DELETE /route/{id}</c>: 204.</summary>
    public virtual async Task<IResult> DeleteAsync(string id)
    {
        await DestroyAsync(id, IfMatchHeader());
        return Results.NoContent();
    }

    private async Task<IResult> WriteAsync(string id, bool partial)
    {
        var body = Context.Binder.Canonicalize(await RequestBody.ReadObjectAsync(Context.Http, Context.Options.MaxBodyBytes),
            partial ? Validation.BindMode.Patch : Validation.BindMode.Replace);
        var record = await UpdateAsync(id, body, partial, IfMatchHeader());
        SetETag(record);
        return JsonResults.Bytes(StatusCodes.Status200OK, Render(record, read: false));
    }

    /// <summary>
    /// The record as UTF-8 JSON, as the serializer settings show it: <paramref name="read"/> for GET, else
    /// write responses. Without a field selection the stored bytes pass through untouched.
    /// </summary>
    protected ReadOnlyMemory<byte> Render(Record record, bool read)
    {
        var fields = read ? Context.Model.Serializer.Read : Context.Model.Serializer.Write;
        var files = Context.Runtime.FileFieldNames;
        if (fields is null && files.Count == 0) return record.ToUtf8();
        var shaped = new JsonObject();
        foreach (var name in fields ?? record.Data.Select(p => p.Key).ToList())
            if (record.Data.TryGetPropertyValue(name, out var value))
                shaped[name] = files.Contains(name) ? Documents.FileValue.Public(value) : value?.DeepClone(); // file bookkeeping stays inside
        return RecordCodec.Encode(shaped);
    }

    /// <summary>The record as a GET shows it (for records embedded by another endpoint's <c>?expand=</c>).</summary>
    internal ReadOnlyMemory<byte> RenderForRead(Record record) => Render(record, read: true);

    private string? IfMatchHeader()
    {
        var value = Context.Http.Request.Headers.IfMatch.ToString();
        return value.Length == 0 ? null : value;
    }

    private void SetETag(Record record) => Context.Http.Response.Headers[HeaderNames.ETag] = ETags.Quote(record.ETag);
}
