using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Endpoints;
using LightS3.Http;
using LightS3.Model;
using LightS3.Query;
using Microsoft.AspNetCore.Http;

namespace LightS3.Changes;

/// <summary>
/// What one caller may see of a collection's changes, judged as <c>GET</c> judges it: the read permission (checked when
/// the audience opens), the object-level permission on the entry's record, the handler's queryset and, for event
/// subscribers, the list's filter parameters; bodies are shaped by the read serializer. A removal is judged on the
/// version it removed.
/// </summary>
internal sealed class ChangeAudience
{
    private readonly EndpointRuntime _runtime;
    private readonly RecordVisibility _visibility;

    private ChangeAudience(EndpointRuntime runtime, RecordVisibility visibility)
    {
        _runtime = runtime;
        _visibility = visibility;
    }

    /// <summary>
    /// The audience of <paramref name="http"/>'s caller, scoped by the handler's queryset over <paramref name="filters"/>;
    /// null with the refusal (401/403) when the caller may not read the collection.
    /// </summary>
    public static async Task<(ChangeAudience? Audience, IResult? Refused)> OpenAsync(EndpointRuntime runtime, HttpContext http, RecordQuery filters)
    {
        if (await runtime.Authorizer.AuthorizeAsync(http, HttpVerbs.Get) is { } refused) return (null, refused);
        return (new ChangeAudience(runtime, await RecordVisibility.OpenAsync(runtime, http, filters)), null);
    }

    /// <summary>
    /// Whether the caller may see <paramref name="entry"/> at all (its record inside the queryset and filters, admitted by the
    /// object permission): an entry the caller may not see is left out whole — its id, actor and time included.
    /// </summary>
    public async Task<bool> MaySeeAsync(ChangeEntry entry) =>
        entry.Record is { } data && await _visibility.SeesAsync(new Record(data, ""));

    /// <summary>The entry as the caller sees it: <c>op, id, version, at, actor</c>, plus <c>record</c> when <paramref name="withRecord"/> and it is not a removal.</summary>
    public JsonObject Render(ChangeEntry entry, bool withRecord)
    {
        var o = new JsonObject
        {
            ["op"] = entry.OperationName,
            ["id"] = entry.Id,
            ["version"] = entry.Version,
            ["at"] = ChangeCodec.Text(entry.At),
            ["actor"] = entry.Actor,
        };
        if (withRecord && !entry.Removes && entry.Operation != RecordOperation.Delete && entry.Record is { } data) o["record"] = Shape(data);
        return o;
    }

    private JsonObject Shape(JsonObject data)
    {
        var fields = _runtime.Model.Serializer.Read;
        var files = _runtime.FileFieldNames;
        var shaped = new JsonObject();
        foreach (var name in fields ?? data.Select(p => p.Key).ToList())
            if (data.TryGetPropertyValue(name, out var value))
                shaped[name] = files.Contains(name) ? FileValue.Public(value) : value?.DeepClone();
        return shaped;
    }
}
