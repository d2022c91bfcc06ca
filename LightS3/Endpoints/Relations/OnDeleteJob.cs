using System.Text.Json;
using System.Text.Json.Serialization;

namespace LightS3.Endpoints;

/// <summary>
/// The stored state of one on_delete job (<c>{collection}/jobs/on-delete/{id}.json</c>): which record was deleted, when,
/// and which instance holds it until when. Written before the record's delete, removed when every set_null and
/// cascade reference to the record has been followed.
/// </summary>
public sealed record OnDeleteJob
{
    /// <summary>The deleted record's collection.</summary>
    [JsonPropertyName("collection")] public required string Collection { get; init; }

    /// <summary>The deleted record's id.</summary>
    [JsonPropertyName("id")] public required string Id { get; init; }

    /// <summary>When the delete was asked for.</summary>
    [JsonPropertyName("created_at")] public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The instance running the job, or null when none is.</summary>
    [JsonPropertyName("owner")] public string? Owner { get; init; }

    /// <summary>Until when <see cref="Owner"/> holds the job; after that another instance may take it over.</summary>
    [JsonPropertyName("lease_until")] public DateTimeOffset? LeaseUntil { get; init; }

    /// <summary>Referencing records updated or deleted so far (by the current owner).</summary>
    [JsonPropertyName("processed")] public long Processed { get; init; }

    internal byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this);

    internal static OnDeleteJob? Parse(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return JsonSerializer.Deserialize<OnDeleteJob>(bytes);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
