using System.Text.Json;
using System.Text.Json.Serialization;
using LightS3.Storage;

namespace LightS3.Webhooks;

/// <summary>A target's position in a collection's change feed, as stored, with the ETag it was read or written with.</summary>
internal sealed record WebhookCursor(string Target, string Collection, string? Since, string? ETag);

/// <summary>
/// Delivery cursors, one object per target and collection (<c>_lights3/webhooks/cursors/{target}/{collection}.json</c>),
/// moved only by compare-and-swap: a dispatcher whose write is refused has been replaced by another instance and stops.
/// A cursor moves past a page only once every change of the page was delivered or dead-lettered, so a restart resumes
/// at the first page not finished (at-least-once).
/// </summary>
internal sealed class WebhookCursors(IObjectStore store, TimeProvider time)
{
    /// <summary>The key of a cursor.</summary>
    public static string KeyOf(string target, string collection) => $"_lights3/webhooks/cursors/{target}/{collection}.json";

    /// <summary>Reads a cursor (<see cref="WebhookCursor.Since"/> null when the target has not delivered from the collection yet).</summary>
    public async Task<WebhookCursor> ReadAsync(string target, string collection, CancellationToken ct = default)
    {
        var stored = await store.GetAsync(KeyOf(target, collection), ct);
        if (stored is null) return new WebhookCursor(target, collection, null, null);
        string? since = null;
        try
        {
            since = JsonSerializer.Deserialize<Stored>(stored.Content.Span)?.Since;
        }
        catch (JsonException)
        {
            // unreadable: start over (at-least-once), and let the next save overwrite it
        }
        return new WebhookCursor(target, collection, since, stored.ETag);
    }

    /// <summary>Moves <paramref name="cursor"/> to <paramref name="since"/>; null when another instance moved it first.</summary>
    public async Task<WebhookCursor?> SaveAsync(WebhookCursor cursor, string since, CancellationToken ct = default)
    {
        var stored = new Stored { Since = since, SavedAt = time.GetUtcNow() };
        var key = KeyOf(cursor.Target, cursor.Collection);
        try
        {
            var etag = await store.PutAsync(key, JsonSerializer.SerializeToUtf8Bytes(stored),
                cursor.ETag is null ? WriteCondition.IfNoneMatch : WriteCondition.IfMatch(cursor.ETag), ct);
            return cursor with { Since = since, ETag = etag };
        }
        catch (PreconditionFailedException)
        {
            return null;
        }
        catch (StorageException e) when (e is not StorageUnavailableException)
        {
            // a losing racer may get an error instead of 412 (Ceph RGW): the object says who won
            var after = await store.GetAsync(key, ct);
            if (after is null) return null;
            var read = JsonSerializer.Deserialize<Stored>(after.Content.Span);
            return read is not null && read.Since == since && read.SavedAt == stored.SavedAt ? cursor with { Since = since, ETag = after.ETag } : null;
        }
    }

    private sealed record Stored
    {
        [JsonPropertyName("since")] public string? Since { get; init; }
        [JsonPropertyName("saved_at")] public DateTimeOffset SavedAt { get; init; }
    }
}
