using System.Globalization;
using System.Text.Json.Nodes;
using LightS3.Webhooks;

namespace LightS3.Tests.Webhooks;

/// <summary>
/// A change source the test writes to (a list per collection; the cursor is the index of the next change), shared by
/// every app instance of a test the way the change feed in the bucket is.
/// </summary>
public sealed class ScriptedChanges : IWebhookChangeSource
{
    private readonly Dictionary<string, List<WebhookChange>> _changes = new(StringComparer.Ordinal);
    private long _version;

    public int Reads;

    public WebhookChange Add(string collection, string op, string id, JsonObject? record = null)
    {
        lock (_changes)
        {
            if (!_changes.TryGetValue(collection, out var list)) _changes[collection] = list = [];
            var change = new WebhookChange(op, id, ++_version, DateTimeOffset.UtcNow, "tester", record ?? new JsonObject { ["id"] = id });
            list.Add(change);
            return change;
        }
    }

    public Task<WebhookChangePage> ReadAsync(string collection, string? since, int limit, CancellationToken ct)
    {
        Interlocked.Increment(ref Reads);
        lock (_changes)
        {
            var from = since is null ? 0 : int.Parse(since, CultureInfo.InvariantCulture);
            var list = _changes.GetValueOrDefault(collection) ?? [];
            var page = list.Skip(from).Take(limit).ToList();
            return Task.FromResult(new WebhookChangePage(page, (from + page.Count).ToString(CultureInfo.InvariantCulture)));
        }
    }
}
