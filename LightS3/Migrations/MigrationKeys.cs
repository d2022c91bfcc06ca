using System.Text.Json;
using LightS3.Storage;

namespace LightS3.Migrations;

/// <summary>Where migration state lives in the store (under its prefix, so backups carry it), and how it is serialized.</summary>
internal static class MigrationKeys
{
    /// <summary>The applied-migrations log.</summary>
    public const string Log = "_lights3/migrations/log.json";

    /// <summary>The runner lease.</summary>
    public const string Lease = "_lights3/migrations/lease.json";

    /// <summary>The checkpoint of the pass in progress.</summary>
    public const string Checkpoint = "_lights3/migrations/checkpoint.json";

    /// <summary>The schema snapshot of a collection.</summary>
    public static string Snapshot(string collection) => $"_lights3/schema/{collection}.json";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    /// <summary>Reads a JSON object of type <typeparamref name="T"/> and its ETag; (null, null) when absent.</summary>
    internal static async Task<(T? Value, string? ETag)> ReadAsync<T>(IObjectStore store, string key, CancellationToken ct) where T : class
    {
        var stored = await store.GetAsync(key, ct);
        if (stored is null) return (null, null);
        try
        {
            return (JsonSerializer.Deserialize<T>(stored.Content.Span, Json), stored.ETag);
        }
        catch (JsonException)
        {
            return (null, stored.ETag); // unreadable: treated as absent, and overwritten by compare-and-swap
        }
    }

    /// <summary>Writes <paramref name="value"/> on condition; returns the new ETag.</summary>
    internal static Task<string> WriteAsync<T>(IObjectStore store, string key, T value, WriteCondition condition, CancellationToken ct) =>
        store.PutAsync(key, JsonSerializer.SerializeToUtf8Bytes(value, Json), condition, ct);

    /// <summary>If-Match the ETag read, or If-None-Match when nothing was there.</summary>
    internal static WriteCondition Over(string? etag) => etag is null ? WriteCondition.IfNoneMatch : WriteCondition.IfMatch(etag);
}
