using System.Text.Json.Nodes;

namespace LightS3.Webhooks;

/// <summary>
/// Where webhook dispatch reads changes from: a collection's change feed, in commit order per record, from a cursor.
/// The default reads LightS3's change feed (<see cref="Changes.ChangeFeed"/>); a host may register its own.
/// </summary>
public interface IWebhookChangeSource
{
    /// <summary>
    /// Up to <paramref name="limit"/> changes of <paramref name="collection"/> after <paramref name="since"/> (null: from
    /// the oldest retained), and the cursor to continue from.
    /// </summary>
    Task<WebhookChangePage> ReadAsync(string collection, string? since, int limit, CancellationToken ct);

    /// <summary>Whether <paramref name="collection"/> has changes to read at all (the dispatcher skips the others).</summary>
    bool Covers(string collection) => true;
}

/// <summary>One change: the operation (create, update, delete, restore), the record's id and new version, when, by whom, and the record.</summary>
public sealed record WebhookChange(string Op, string Id, long Version, DateTimeOffset At, string? Actor, JsonObject? Record);

/// <summary>A page of changes and the cursor after it (null or unchanged when there is nothing newer).</summary>
public sealed record WebhookChangePage(IReadOnlyList<WebhookChange> Changes, string? Next);
