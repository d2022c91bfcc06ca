using System.Text.Json.Nodes;
using LightS3.Documents;
using Microsoft.AspNetCore.Http;

namespace LightS3.Http;

/// <summary>JSON responses written from UTF-8 bytes, so stored records can pass through unparsed.</summary>
internal static class JsonResults
{
    private static readonly byte[] ListOpen = "{\"results\":["u8.ToArray();
    private static readonly byte[] ListClose = "]}"u8.ToArray();

    /// <summary>200 with a JSON document.</summary>
    public static IResult Ok(JsonNode body) => new Utf8JsonResult(StatusCodes.Status200OK, [RecordCodec.Encode(body)]);

    /// <summary>A response whose body is <paramref name="json"/>, already UTF-8 JSON.</summary>
    public static IResult Bytes(int status, ReadOnlyMemory<byte> json) => new Utf8JsonResult(status, [json]);

    /// <summary><c>{"results": [...]}</c> from each item's UTF-8 JSON.</summary>
    public static IResult Results(IReadOnlyList<ReadOnlyMemory<byte>> items) => Results(null, items);

    /// <summary><c>{...meta, "results": [...]}</c>: the members of <paramref name="meta"/>, then the items.</summary>
    public static IResult Results(JsonObject? meta, IReadOnlyList<ReadOnlyMemory<byte>> items)
    {
        var open = ListOpen.AsMemory();
        if (meta is { Count: > 0 })
        {
            var encoded = RecordCodec.Encode(meta);
            open = encoded.AsMemory(0, encoded.Length - 1).ToArray().Concat(",\"results\":["u8.ToArray()).ToArray();
        }
        var parts = new List<ReadOnlyMemory<byte>>(items.Count * 2 + 2) { open };
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0) parts.Add(Comma);
            parts.Add(items[i]);
        }
        parts.Add(ListClose);
        return new Utf8JsonResult(StatusCodes.Status200OK, parts);
    }

    private static readonly byte[] Comma = ","u8.ToArray();

    private sealed class Utf8JsonResult(int status, IReadOnlyList<ReadOnlyMemory<byte>> parts) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = status;
            http.Response.ContentType = "application/json; charset=utf-8";
            http.Response.ContentLength = parts.Sum(p => (long)p.Length);
            foreach (var part in parts) await http.Response.Body.WriteAsync(part, http.RequestAborted);
        }
    }
}
