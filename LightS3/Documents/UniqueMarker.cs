using System.Text.Json.Nodes;
using LightS3.Storage;

namespace LightS3.Documents;

/// <summary>The states of a unique-value marker (see <see cref="UniqueMarkers"/>).</summary>
internal enum MarkerState
{
    /// <summary>A record claims the value.</summary>
    Claimed,
    /// <summary>Released: the next claimer takes it with <c>If-Match</c>.</summary>
    Free,
    /// <summary>Being deleted by the collector; left alone until <see cref="UniqueMarkers.ReapTimeout"/>.</summary>
    Reaping,
}

/// <summary>
/// A marker as read: its state, owner, the record version the claim is for, the field and value, and the time (Unix
/// ms) of its last state change. An unreadable marker reads as a claim by nobody made at time 0: an old orphan.
/// </summary>
internal sealed record Marker(MarkerState State, string? Owner, long Version, string? Field, string? Value, long At)
{
    /// <summary>Parses a stored marker.</summary>
    public static Marker Parse(string key, StoredObject stored)
    {
        try
        {
            var o = RecordCodec.Decode(key, stored.Content);
            if (o["free"] is not null) return new Marker(MarkerState.Free, null, 0, null, null, Record.IntegerOf(o["at"]) ?? 0);
            if (o["reaping"] is not null) return new Marker(MarkerState.Reaping, null, 0, null, null, Record.IntegerOf(o["at"]) ?? 0);
            return new Marker(MarkerState.Claimed, Text(o["id"]), Record.IntegerOf(o["version"]) ?? 0, Text(o["field"]), Text(o["value"]),
                Record.IntegerOf(o["claimed_at"]) ?? 0);
        }
        catch (Exception e) when (e is CorruptRecordException or InvalidOperationException or FormatException)
        {
            return new Marker(MarkerState.Claimed, null, 0, null, null, 0);
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}

/// <summary>The bytes of each marker state.</summary>
internal static class MarkerBodies
{
    /// <summary>A claim of <paramref name="value"/> by record <paramref name="id"/> for the write producing <paramref name="version"/>.</summary>
    public static byte[] Claimed(string id, string field, string value, long version, long now) => RecordCodec.Encode(new JsonObject
    {
        ["id"] = id,
        ["field"] = field,
        ["value"] = value,
        ["version"] = version,
        ["claimed_at"] = now,
    });

    /// <summary>The free state, released at <paramref name="now"/>.</summary>
    /// <remarks>A random nonce keeps two writers' bytes (and so ETags) apart, which the ambiguous-write check relies on.</remarks>
    public static byte[] Free(long now) => RecordCodec.Encode(new JsonObject { ["free"] = true, ["at"] = now, ["n"] = Nonce() });

    /// <summary>The reaping state, entered at <paramref name="now"/>.</summary>
    public static byte[] Reaping(long now) => RecordCodec.Encode(new JsonObject { ["reaping"] = true, ["at"] = now, ["n"] = Nonce() });

    private static string Nonce() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
}
