using System.Text.Json.Serialization;

namespace LightS3.Documents;

/// <summary>
/// The state of a collection's index rebuild, as stored next to the collection (so every instance sees it) and served
/// by <c>GET {route}/_reindex</c>.
/// </summary>
public sealed record ReindexStatus
{
    /// <summary><c>idle</c> (never run), <c>running</c>, <c>done</c> or <c>failed</c>.</summary>
    [JsonPropertyName("status")] public string Status { get; init; } = "idle";

    /// <summary>What is being done: <c>records</c> (writing missing entries) or <c>entries</c> (removing stale ones).</summary>
    [JsonPropertyName("phase")] public string? Phase { get; init; }

    /// <summary>Items of the current phase done so far.</summary>
    [JsonPropertyName("processed")] public long Processed { get; init; }

    /// <summary>Items of the current phase in all, once known.</summary>
    [JsonPropertyName("total")] public long? Total { get; init; }

    /// <summary>Records visited (when done).</summary>
    [JsonPropertyName("records")] public long? Records { get; init; }

    /// <summary>Missing index entries written (when done).</summary>
    [JsonPropertyName("entries_written")] public long? EntriesWritten { get; init; }

    /// <summary>Stale index entries removed (when done).</summary>
    [JsonPropertyName("entries_removed")] public long? EntriesRemoved { get; init; }

    /// <summary>Why it failed.</summary>
    [JsonPropertyName("error")] public string? Error { get; init; }

    /// <summary>When it started.</summary>
    [JsonPropertyName("started_at")] public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Last progress write: a running rebuild whose status is older than the stall time is taken over.</summary>
    [JsonPropertyName("updated_at")] public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>When it ended.</summary>
    [JsonPropertyName("finished_at")] public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The status of a collection never reindexed.</summary>
    public static ReindexStatus Idle { get; } = new();
}
