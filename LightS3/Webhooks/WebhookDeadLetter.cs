using System.Text.Json.Serialization;

namespace LightS3.Webhooks;

/// <summary>
/// A delivery that failed every attempt, kept at <c>_lights3/webhooks/dead-letters/{id}.json</c> until an admin
/// re-delivers or discards it (see docs/webhooks.md). <see cref="Body"/> is the exact body sent, so a re-delivery is
/// byte-identical (with a fresh timestamp and signature).
/// </summary>
public sealed record WebhookDeadLetter
{
    /// <summary>The dead letter's id (time-ordered, 32 hex digits).</summary>
    [JsonPropertyName("id")] public string Id { get; init; } = "";

    /// <summary>The target's name.</summary>
    [JsonPropertyName("target")] public string Target { get; init; } = "";

    /// <summary>The target's URL at the time.</summary>
    [JsonPropertyName("url")] public string Url { get; init; } = "";

    /// <summary>The message's <c>webhook-id</c>.</summary>
    [JsonPropertyName("message_id")] public string MessageId { get; init; } = "";

    /// <summary>The event (created, updated, deleted, restored).</summary>
    [JsonPropertyName("event")] public string Event { get; init; } = "";

    /// <summary>The collection.</summary>
    [JsonPropertyName("collection")] public string Collection { get; init; } = "";

    /// <summary>The record's id.</summary>
    [JsonPropertyName("record_id")] public string RecordId { get; init; } = "";

    /// <summary>The record's version the change made.</summary>
    [JsonPropertyName("version")] public long Version { get; init; }

    /// <summary>Attempts made, re-deliveries included.</summary>
    [JsonPropertyName("attempts")] public int Attempts { get; init; }

    /// <summary>The last attempt's HTTP status, null when none came back.</summary>
    [JsonPropertyName("last_status")] public int? LastStatus { get; init; }

    /// <summary>Why the last attempt failed.</summary>
    [JsonPropertyName("last_error")] public string? LastError { get; init; }

    /// <summary>When it was dead-lettered.</summary>
    [JsonPropertyName("dead_at")] public DateTimeOffset DeadAt { get; init; }

    /// <summary>When a re-delivery was last tried.</summary>
    [JsonPropertyName("last_attempt_at")] public DateTimeOffset? LastAttemptAt { get; init; }

    /// <summary>The body sent (JSON text).</summary>
    [JsonPropertyName("body")] public string Body { get; init; } = "";
}
