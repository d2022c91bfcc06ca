using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LightS3.Validation;

namespace LightS3.Documents;

/// <summary>A confirmed file: its blob token and what the client sees.</summary>
internal sealed record ReadyFile(string Blob, string Name, long Size, string ContentType, string ETag, DateTimeOffset UploadedAt);

/// <summary>An upload handed out and not yet confirmed.</summary>
internal sealed record PendingUpload(string Blob, string Name, string ContentType, long? Size, DateTimeOffset ExpiresAt);

/// <summary>A blob no longer referenced since <see cref="At"/>: kept for the grace period (download URLs still work), then collected.</summary>
internal sealed record ReleasedBlob(string Blob, DateTimeOffset At);

/// <summary>
/// The stored form of a file field: the public shape (<c>name, size, content_type, etag, status, uploaded_at</c>) of the
/// ready file — or of the pending upload while there is none — plus LightS3's bookkeeping in <c>_</c>-prefixed properties
/// (<c>_blob</c>, <c>_pending</c>, <c>_released</c>) that responses never show (<see cref="Public"/>).
/// </summary>
internal sealed record FileValue(ReadyFile? Ready, PendingUpload? Pending, IReadOnlyList<ReleasedBlob> Released)
{
    public static readonly FileValue Empty = new(null, null, []);

    /// <summary>Reads a stored value; anything unreadable counts as empty.</summary>
    public static FileValue Of(JsonNode? node)
    {
        if (node is not JsonObject o) return Empty;
        ReadyFile? ready = null;
        if (Text(o, "_blob") is { } blob && Text(o, "status") == "ready")
            ready = new ReadyFile(blob, Text(o, "name") ?? "", Long(o, "size") ?? 0, Text(o, "content_type") ?? "application/octet-stream",
                Text(o, "etag") ?? "", Instant(o, "uploaded_at") ?? DateTimeOffset.MinValue);
        PendingUpload? pending = null;
        if (o["_pending"] is JsonObject p && Text(p, "blob") is { } pb)
            pending = new PendingUpload(pb, Text(p, "name") ?? "", Text(p, "content_type") ?? "application/octet-stream", Long(p, "size"),
                Instant(p, "expires_at") ?? DateTimeOffset.MinValue);
        var released = new List<ReleasedBlob>();
        if (o["_released"] is JsonArray list)
            foreach (var item in list.OfType<JsonObject>())
                if (Text(item, "blob") is { } rb) released.Add(new ReleasedBlob(rb, Instant(item, "at") ?? DateTimeOffset.MinValue));
        return new FileValue(ready, pending, released);
    }

    /// <summary>The stored JSON, or null when nothing is left to keep.</summary>
    public JsonObject? ToJson()
    {
        if (Ready is null && Pending is null && Released.Count == 0) return null;
        var o = new JsonObject();
        if (Ready is { } r)
        {
            o["name"] = r.Name;
            o["size"] = r.Size;
            o["content_type"] = r.ContentType;
            o["etag"] = r.ETag;
            o["status"] = "ready";
            o["uploaded_at"] = Format(r.UploadedAt);
            o["_blob"] = r.Blob;
        }
        else if (Pending is { } p)
        {
            o["name"] = p.Name;
            o["size"] = p.Size;
            o["content_type"] = p.ContentType;
            o["etag"] = null;
            o["status"] = "pending";
            o["uploaded_at"] = null;
        }
        if (Pending is { } q)
            o["_pending"] = new JsonObject { ["blob"] = q.Blob, ["name"] = q.Name, ["content_type"] = q.ContentType, ["size"] = q.Size, ["expires_at"] = Format(q.ExpiresAt) };
        if (Released.Count > 0)
            o["_released"] = new JsonArray([.. Released.Select(x => (JsonNode)new JsonObject { ["blob"] = x.Blob, ["at"] = Format(x.At) })]);
        return o;
    }

    /// <summary>This value with <paramref name="blob"/> released at <paramref name="at"/>, dropping releases older than <paramref name="keep"/>.</summary>
    public IReadOnlyList<ReleasedBlob> ReleasedWith(string? blob, DateTimeOffset at, TimeSpan keep) =>
        [.. Released.Where(x => x.At > at - keep), .. blob is null ? [] : new[] { new ReleasedBlob(blob, at) }];

    /// <summary>Whether the garbage collector must keep <paramref name="blob"/> at <paramref name="now"/>.</summary>
    public bool Keeps(string blob, DateTimeOffset now, TimeSpan grace) =>
        Ready?.Blob == blob
        || (Pending?.Blob == blob && now <= Pending.ExpiresAt + grace)
        || Released.Any(x => x.Blob == blob && now <= x.At + grace);

    /// <summary>The client's view of a stored value: the public properties, or null when there is no file.</summary>
    public static JsonNode? Public(JsonNode? stored)
    {
        if (stored is not JsonObject o || Text(o, "status") is null) return null;
        var view = new JsonObject();
        foreach (var (name, value) in o)
            if (!name.StartsWith('_')) view[name] = value?.DeepClone();
        return view;
    }

    private static string? Text(JsonObject o, string name) =>
        o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static long? Long(JsonObject o, string name) =>
        o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n) ? n : null;

    private static DateTimeOffset? Instant(JsonObject o, string name) =>
        Text(o, name) is { } t && DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var i) ? i : null;

    public static string Format(DateTimeOffset instant) => instant.UtcDateTime.ToString(FieldValues.DateTimeFormat, CultureInfo.InvariantCulture);
}
