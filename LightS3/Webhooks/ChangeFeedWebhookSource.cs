using System.Text.Json.Nodes;
using LightS3.Changes;
using LightS3.Documents;
using LightS3.Endpoints;
using LightS3.Hosting;

namespace LightS3.Webhooks;

/// <summary>
/// The default <see cref="IWebhookChangeSource"/>: LightS3's change feed (<see cref="ChangeFeed.ReadAsync"/>), so only
/// collections that keep one (<c>[ChangeFeed]</c>, YAML <c>meta: { changes: true }</c>) send webhooks. Records are shaped
/// by the endpoint's read serializer (file fields as their public value), as a GET shows them; a delete or purge carries
/// no record.
/// </summary>
internal sealed class ChangeFeedWebhookSource(ChangeFeed feed, EndpointRegistry registry) : IWebhookChangeSource
{
    public bool Covers(string collection) => feed.IsEnabled(collection);

    public async Task<WebhookChangePage> ReadAsync(string collection, string? since, int limit, CancellationToken ct)
    {
        if (!feed.IsEnabled(collection)) return new WebhookChangePage([], since);
        var page = await feed.ReadAsync(collection, since, limit, ct);
        var runtime = registry.Endpoints.First(e => e.Model.Collection == collection && e.Model.Time.Changes);
        var changes = page.Changes.Select(e => new WebhookChange(e.OperationName, e.Id, e.Version, e.At, e.Actor,
            e.Removes || e.Operation == RecordOperation.Delete || e.Record is not { } data ? null : Shape(runtime, data))).ToList();
        return new WebhookChangePage(changes, page.Next);
    }

    private static JsonObject Shape(Endpoints.EndpointRuntime runtime, JsonObject data)
    {
        var files = runtime.FileFieldNames;
        var shaped = new JsonObject();
        foreach (var name in runtime.Model.Serializer.Read ?? [.. data.Select(p => p.Key)])
            if (data.TryGetPropertyValue(name, out var value))
                shaped[name] = files.Contains(name) ? FileValue.Public(value) : value?.DeepClone();
        return shaped;
    }
}
