using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LightS3.Validation;

namespace LightS3.Documents;

/// <summary>
/// The stored form of a change entry: <c>{"op","id","version","at","actor","prev","removes","record"}</c>, where
/// <c>prev</c> is the <c>updated_at</c> of the version it replaced — what lets a reader walk back from a record's current
/// version to any earlier one through the entries (each entry's key is known from its version's <c>updated_at</c>).
/// </summary>
internal static class ChangeCodec
{
    private static readonly Dictionary<string, RecordOperation> ByName = Enum.GetValues<RecordOperation>().ToDictionary(NameOf);

    /// <summary>The wire name of <paramref name="operation"/>.</summary>
    public static string NameOf(RecordOperation operation) => operation.ToString().ToLowerInvariant();

    /// <summary>The stored bytes of an entry; <paramref name="prev"/> is the replaced version's <c>updated_at</c> (null for a create).</summary>
    public static byte[] Encode(ChangeEntry entry, string? prev) => RecordCodec.Encode(new JsonObject
    {
        ["op"] = entry.OperationName,
        ["id"] = entry.Id,
        ["version"] = entry.Version,
        ["at"] = Text(entry.At),
        ["actor"] = entry.Actor,
        ["prev"] = prev,
        ["removes"] = entry.Removes,
        ["record"] = entry.Record?.DeepClone(),
    }).ToArray();

    /// <summary>The entry stored at <paramref name="cursor"/>, with the <c>prev</c> it recorded; null when the bytes are not an entry.</summary>
    public static (ChangeEntry Entry, string? Prev)? Decode(string collection, string cursor, ReadOnlyMemory<byte> bytes)
    {
        JsonObject? o;
        try
        {
            o = JsonNode.Parse(bytes.Span) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
        if (o is null || Str(o["op"]) is not { } op || !ByName.TryGetValue(op, out var operation) || Str(o["id"]) is not { } id
            || Record.IntegerOf(o["version"] as JsonValue) is not { } version || TimeOf(Str(o["at"])) is not { } at) return null;
        var entry = new ChangeEntry(cursor, collection, operation, id, version, at, Str(o["actor"]), o["record"] as JsonObject)
        {
            Removes = o["removes"] is JsonValue r && r.GetValueKind() == JsonValueKind.True,
        };
        o.Remove("record"); // detach the record node from its parent
        return (entry, Str(o["prev"]));
    }

    /// <summary>The canonical text of a time (the format of <c>updated_at</c>: 7 fractional digits, so ticks round-trip).</summary>
    public static string Text(DateTimeOffset at) => at.UtcDateTime.ToString(FieldValues.DateTimeFormat, CultureInfo.InvariantCulture);

    /// <summary>A time in <c>updated_at</c>'s format; null otherwise.</summary>
    public static DateTimeOffset? TimeOf(string? text) =>
        text is not null && DateTime.TryParseExact(text, FieldValues.DateTimeFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
            ? new DateTimeOffset(t, TimeSpan.Zero)
            : null;

    private static string? Str(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
