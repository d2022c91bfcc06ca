using System.Text.Json;
using System.Text.Json.Serialization;

namespace LightS3.Endpoints;

/// <summary>
/// The stored state of one <c>Idempotency-Key</c>: the fingerprint of the request that claimed it, when, until when it
/// is remembered, and — once that request finished — its response. Without a response the request is still running
/// (or died: a claim older than <see cref="IdempotentRequests.Lease"/> may be taken over).
/// </summary>
internal sealed record IdempotencyMarker(
    [property: JsonPropertyName("fingerprint")] string Fingerprint,
    [property: JsonPropertyName("claimed_at")] DateTimeOffset ClaimedAt,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt,
    [property: JsonPropertyName("response")] CapturedResponse? Response)
{
    public byte[] Encode() => JsonSerializer.SerializeToUtf8Bytes(this);

    /// <summary>The marker in <paramref name="content"/>, or null when it is unreadable (then it is treated as abandoned).</summary>
    public static IdempotencyMarker? Decode(ReadOnlyMemory<byte> content)
    {
        try
        {
            return JsonSerializer.Deserialize<IdempotencyMarker>(content.Span);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
