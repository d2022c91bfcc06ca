using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Model;
using LightS3.Validation;

namespace LightS3.Query;

/// <summary>
/// A keyset position: the ordering values and id of a record, and whether the page wanted lies after it
/// (next) or before it (previous). Opaque to clients: <c>base64url(JSON).base64url(HMAC)</c>, signed by a
/// <see cref="CursorSigner"/> and bound to the query's fingerprint, so a malformed, edited, forged or foreign cursor
/// is rejected (400) rather than misread. Every decoded value is also checked against its field's type, so even a
/// cursor signed by a leaked key can only name a position, never break the query. Not secret: its content is
/// readable, and it only ever moves within the query it came from, whose filters and scope are re-applied.
/// </summary>
public sealed record Cursor(IReadOnlyList<JsonNode?> Values, string Id, bool Before)
{
    /// <summary>Longest cursor accepted, in characters.</summary>
    public const int MaxLength = 4096;

    /// <summary>The position of <paramref name="record"/> under <paramref name="ordering"/>.</summary>
    public static Cursor Of(Record record, IReadOnlyList<SortKey> ordering, bool before) =>
        new(ordering.Select(k => FieldPaths.ValueOf(record.Peek(), k.Field)?.DeepClone()).ToList(), record.Id, before);

    /// <summary>Encodes and signs the cursor for <paramref name="fingerprint"/>.</summary>
    public string Encode(string fingerprint, CursorSigner signer)
    {
        var payload = new JsonObject
        {
            ["v"] = new JsonArray(Values.Select(v => v?.DeepClone()).ToArray()),
            ["i"] = Id,
            ["b"] = Before,
            ["q"] = fingerprint,
        };
        var json = Encoding.UTF8.GetBytes(payload.ToJsonString());
        return Base64Url(json) + "." + Base64Url(signer.Sign(json));
    }

    /// <summary>
    /// Decodes a cursor; null when it is malformed, not signed by <paramref name="signer"/>, from another query, or
    /// holds a value that is not of its field's type.
    /// </summary>
    public static Cursor? TryDecode(string text, string fingerprint, IReadOnlyList<SortKey> ordering, CursorSigner signer)
    {
        try
        {
            if (text.Length > MaxLength || text.Split('.') is not [var body, var mac]) return null;
            var json = FromBase64Url(body);
            if (!signer.Verify(json, FromBase64Url(mac))) return null;
            if (JsonNode.Parse(json) is not JsonObject o) return null;
            if (o["q"] is not JsonValue q || !q.TryGetValue<string>(out var query) || query != fingerprint) return null;
            if (o["i"] is not JsonValue i || !i.TryGetValue<string>(out var id) || !RecordIds.IsSafeName(id)) return null;
            if (o["b"] is not JsonValue b || !b.TryGetValue<bool>(out var before)) return null;
            if (o["v"] is not JsonArray values || values.Count != ordering.Count) return null;
            var canonical = new List<JsonNode?>(values.Count);
            for (var k = 0; k < ordering.Count; k++)
            {
                if (!TryValue(ordering[k].Field, values[k], id, out var value)) return null;
                canonical.Add(value);
            }
            return new Cursor(canonical, id, before);
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException or ArgumentException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>A position value: null, or a value of the field's type (in canonical form); the id must be the cursor's id.</summary>
    private static bool TryValue(FieldModel field, JsonNode? node, string id, out JsonNode? value)
    {
        value = null;
        if (field.Name == AutoFields.Id)
        {
            value = node?.DeepClone();
            return node is JsonValue v && v.TryGetValue<string>(out var s) && s == id;
        }
        return node is null || FieldValues.TryCanonicalize(field with { Nullable = true }, node, out value, out _);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s + new string('=', (4 - s.Length % 4) % 4));
    }
}
