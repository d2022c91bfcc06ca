using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Model;

namespace LightS3.Query;

/// <summary>
/// A keyset position: the ordering values and id of a record, and whether the page wanted lies after it
/// (next) or before it (previous). Opaque to clients: base64url JSON with a checksum, bound to the query's
/// fingerprint, so a malformed, edited or foreign cursor is rejected (400) rather than misread. Not secret:
/// a cursor only ever moves within the query it came from, whose filters and scope are re-applied.
/// </summary>
public sealed record Cursor(IReadOnlyList<JsonNode?> Values, string Id, bool Before)
{
    /// <summary>The position of <paramref name="record"/> under <paramref name="ordering"/>.</summary>
    public static Cursor Of(Record record, IReadOnlyList<SortKey> ordering, bool before) =>
        new(ordering.Select(k => record.Peek()[k.Field.Name]?.DeepClone()).ToList(), record.Id, before);

    /// <summary>Encodes the cursor for <paramref name="fingerprint"/>.</summary>
    public string Encode(string fingerprint)
    {
        var payload = new JsonObject
        {
            ["v"] = new JsonArray(Values.Select(v => v?.DeepClone()).ToArray()),
            ["i"] = Id,
            ["b"] = Before,
            ["q"] = fingerprint,
        };
        var json = payload.ToJsonString();
        return Base64Url(Encoding.UTF8.GetBytes(json + "." + Checksum(json)));
    }

    /// <summary>Decodes a cursor; null when it is malformed, tampered with or from another query.</summary>
    public static Cursor? TryDecode(string text, string fingerprint, IReadOnlyList<SortKey> ordering)
    {
        try
        {
            if (text.Length > 4096) return null;
            var raw = Encoding.UTF8.GetString(FromBase64Url(text));
            var dot = raw.LastIndexOf('.');
            if (dot < 0 || Checksum(raw[..dot]) != raw[(dot + 1)..]) return null;
            if (JsonNode.Parse(raw[..dot]) is not JsonObject o || o["q"]?.GetValue<string>() != fingerprint) return null;
            if (o["v"] is not JsonArray values || values.Count != ordering.Count) return null;
            var id = o["i"]?.GetValue<string>();
            if (!RecordIds.IsSafeName(id)) return null;
            return new Cursor(values.Select(v => v?.DeepClone()).ToList(), id!, o["b"]?.GetValue<bool>() ?? false);
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    private static string Checksum(string json) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("lights3-cursor:" + json)), 0, 8);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s + new string('=', (4 - s.Length % 4) % 4));
    }
}
