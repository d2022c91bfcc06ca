using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Model;
using LightS3.Query;
using Microsoft.AspNetCore.Http;

namespace LightS3.Endpoints;

/// <summary>
/// Embeds referenced and referencing records (<c>?expand=</c>) into a page or a record, under an <c>expand</c> object
/// beside the record's own fields (its reference ids stay as they are). Per level, one GET per distinct referenced id of
/// the whole page (in parallel, never one per row) and one index LIST per parent for a back-reference (at most
/// <see cref="BackReferenceCap"/> records each). What is embedded goes through the embedded endpoint's own read
/// permission (endpoint and object level), retrieve hook, queryset and read serializer: a record a direct GET would
/// refuse or not find is left out, never shown.
/// </summary>
public static class Expander
{
    /// <summary>At most this many referencing records are embedded per parent and back-reference (in creation order).</summary>
    public const int BackReferenceCap = 20;

    /// <summary>The expansion <paramref name="context"/>'s request asks for over <paramref name="records"/>, fetched; null when it asks for none.</summary>
    internal static async Task<Expansion?> PrepareAsync(EndpointContext context, IReadOnlyList<Record> records)
    {
        var graph = context.Relations;
        if (graph is null || ExpandRequest.Parse(context.Http.Request.Query, context.Runtime, graph) is not { } nodes) return null;
        return new Expansion(await ExpandAsync(context.Http, records, nodes, context.Options.ReadParallelism, context.Aborted));
    }

    private static async Task<Dictionary<string, JsonObject>> ExpandAsync(HttpContext http, IReadOnlyList<Record> records, IReadOnlyList<ExpandNode> nodes, int parallelism,
        CancellationToken ct)
    {
        var result = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var record in records) result.TryAdd(record.Id, new JsonObject());
        foreach (var node in nodes)
            // the embedded endpoint authenticates the caller with its own schemes; the request goes on as it was afterwards
            await RecordVisibility.AsReaderOfAsync(node.Embedded, http, async visibility =>
            {
                if (visibility is null) return false; // the caller may not read that endpoint at all: nothing of it is embedded
                if (node.Back) await BackAsync(http, records, node, result, parallelism, ct);
                else await ForwardAsync(http, records, node, visibility, result, parallelism, ct);
                return true;
            });
        return result;
    }

    private static async Task ForwardAsync(HttpContext http, IReadOnlyList<Record> records, ExpandNode node, RecordVisibility visibility,
        Dictionary<string, JsonObject> result, int parallelism, CancellationToken ct)
    {
        var target = node.Relation.Target;
        var field = node.Relation.Field.Name;
        var ids = records.Select(r => ReferenceChecks.IdOf(r.Peek()[field])).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var found = new ConcurrentDictionary<string, Record>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, async (id, _) =>
        {
            if (await ReadVisibleAsync(http, target, visibility, id) is { } record) found[id] = record;
        });
        var children = node.Children.Count == 0 ? null : await ExpandAsync(http, found.Values.ToList(), node.Children, parallelism, ct);
        var renderer = target.CreateHandler(http, HttpVerbs.Get);
        var embedded = found.ToDictionary(e => e.Key, e => Embed(renderer, e.Value, children), StringComparer.Ordinal);
        foreach (var record in records)
            if (ReferenceChecks.IdOf(record.Peek()[field]) is { } id && embedded.TryGetValue(id, out var value))
                result[record.Id][node.Name] = value.DeepClone();
    }

    private static async Task BackAsync(HttpContext http, IReadOnlyList<Record> records, ExpandNode node, Dictionary<string, JsonObject> result, int parallelism,
        CancellationToken ct)
    {
        var source = node.Relation.Source;
        var byParent = new ConcurrentDictionary<string, IReadOnlyList<Record>>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(records.Select(r => r.Id).Distinct(StringComparer.Ordinal), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct },
            async (id, token) =>
            {
                var handler = source.CreateHandler(http, HttpVerbs.Get);
                var query = RecordQuery.All.Where(RecordSet.Condition(source.Model, node.Relation.Field.Name, FilterOperator.Eq, id));
                byParent[id] = (await handler.ListAsync(query, new PageRequest.Keyset(null, BackReferenceCap))).Records; // the list's own rule: queryset and object check
            });
        var all = byParent.Values.SelectMany(v => v).DistinctBy(r => r.Id).ToList();
        var children = node.Children.Count == 0 ? null : await ExpandAsync(http, all, node.Children, parallelism, ct);
        var renderer = source.CreateHandler(http, HttpVerbs.Get);
        foreach (var (parent, list) in byParent)
            result[parent][node.Name] = new JsonArray(list.Select(r => (JsonNode)Embed(renderer, r, children)).ToArray());
    }

    private static async Task<Record?> ReadVisibleAsync(HttpContext http, EndpointRuntime target, RecordVisibility visibility, string id)
    {
        if (!RecordIds.TryNormalize(target.Model, id, out var normalized)) return null;
        var record = await target.CreateHandler(http, HttpVerbs.Get).RetrieveAsync(normalized);
        return record is not null && await visibility.SeesAsync(record) ? record : null;
    }

    private static JsonObject Embed(RestEndpointBase renderer, Record record, Dictionary<string, JsonObject>? children)
    {
        var shown = JsonNode.Parse(renderer.RenderForRead(record).Span)!.AsObject();
        if (children is not null && children.TryGetValue(record.Id, out var expand)) shown[ExpandRequest.Parameter] = expand.DeepClone();
        return shown;
    }
}

/// <summary>The embedded records of one page, by the id of the record they are embedded in.</summary>
internal sealed class Expansion(IReadOnlyDictionary<string, JsonObject> byId)
{
    /// <summary><paramref name="rendered"/> (the record as its serializer shows it) with its <c>expand</c> object added.</summary>
    public ReadOnlyMemory<byte> Render(Record record, ReadOnlyMemory<byte> rendered)
    {
        var shown = JsonNode.Parse(rendered.Span)!.AsObject();
        shown[ExpandRequest.Parameter] = byId.TryGetValue(record.Id, out var expand) ? expand.DeepClone() : new JsonObject();
        return RecordCodec.Encode(shown);
    }
}
