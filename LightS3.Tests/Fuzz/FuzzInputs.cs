using System.Text;
using System.Text.Json.Nodes;

namespace LightS3.Tests.Fuzz;

/// <summary>A seeded generator of plausible, hostile and malformed inputs: JSON bodies, ids, headers and query strings.</summary>
public sealed class FuzzInputs(int seed)
{
    private static readonly string[] Fields = ["name", "code", "count", "big", "ratio", "price", "flag", "when", "ref", "color", "id", "created_at", "updated_at", "version", "extra", "Name", ""];
    private static readonly string[] Operators = ["", "__eq", "__ne", "__gt", "__gte", "__lt", "__lte", "__in", "__nin", "__contains", "__icontains", "__startswith", "__endswith", "__isnull", "__bogus", "__", "___in"];
    private readonly Random _r = new(seed);

    public Random Random => _r;

    public T Pick<T>(IReadOnlyList<T> items) => items[_r.Next(items.Count)];

    public bool Chance(int oneIn) => _r.Next(oneIn) == 0;

    /// <summary>A short text of mixed nastiness (may be empty, long, control characters, non-BMP, lone surrogates).</summary>
    public string Text()
    {
        return _r.Next(14) switch
        {
            0 => "",
            1 => new string('x', _r.Next(100, 2000)),
            2 => "\u0000\n\t\"\\/",
            3 => "😀é漢字",
            4 => "\ud800",
            5 => "AB123",
            6 => Pick(["Red", "green", "BLUE", "purple"]),
            7 => Pick(["2024-01-01", "2024-01-01T00:00:00Z", "yesterday", "0001-01-01", "9999-12-31T23:59:59.9999999Z", "2024-13-45"]),
            8 => Pick(["0", "-0", "1e400", "-1e400", "NaN", "Infinity", "1.005", "99999999999999999999999999999", "0x10", " 1", "1,5"]),
            9 => Guid.NewGuid().ToString(),
            10 => Pick(["true", "false", "null", "True", "1"]),
            11 => "../../etc/passwd",
            12 => new string('p', 150) + _r.Next(3),
            _ => new string(Enumerable.Range(0, _r.Next(1, 12)).Select(_ => (char)_r.Next(0x20, 0x7F)).ToArray()),
        };
    }

    /// <summary>A JSON value of any kind, sometimes nested.</summary>
    public JsonNode? Value(int depth = 0)
    {
        return _r.Next(depth > 2 ? 9 : 11) switch
        {
            0 => null,
            1 => JsonValue.Create(_r.Next(2) == 0),
            2 => JsonValue.Create(_r.Next(-2000, 2000)),
            3 => JsonValue.Create(_r.NextInt64(long.MinValue, long.MaxValue)),
            4 => JsonValue.Create((_r.NextDouble() - 0.5) * Math.Pow(10, _r.Next(-30, 30))),
            5 => JsonValue.Create(Math.Round((decimal)_r.NextDouble() * 100m, _r.Next(0, 5))),
            6 or 7 or 8 => JsonValue.Create(Text()),
            9 => new JsonArray(Enumerable.Range(0, _r.Next(3)).Select(_ => Value(depth + 1)).ToArray()),
            _ => new JsonObject(Enumerable.Range(0, _r.Next(3)).Select(i => KeyValuePair.Create("k" + i, Value(depth + 1)))),
        };
    }

    /// <summary>A value that usually fits <paramref name="field"/>.</summary>
    public JsonNode? Plausible(string field) => field switch
    {
        "name" => Chance(10) ? Value() : Text(),
        "code" => Chance(3) ? $"{(char)_r.Next('A', 'Z' + 1)}{(char)_r.Next('A', 'Z' + 1)}{_r.Next(100, 1000)}" : Value(),
        "count" => Chance(5) ? Value() : _r.Next(-1200, 1200),
        "big" => Chance(5) ? Value() : _r.NextInt64(),
        "ratio" => Chance(5) ? Value() : _r.NextDouble() * 10 - 5,
        "price" => Chance(5) ? Value() : Math.Round((decimal)_r.NextDouble() * 100m - 50m, _r.Next(0, 4)),
        "flag" => Chance(5) ? Value() : _r.Next(2) == 0,
        "when" => Chance(5) ? Value() : DateTimeOffset.UnixEpoch.AddSeconds(_r.Next()).ToString("O"),
        "ref" => Chance(5) ? Value() : Guid.NewGuid().ToString(),
        "color" => Chance(5) ? Value() : Pick(["Red", "green", "BLUE", "purple"]),
        "version" => Chance(2) ? _r.Next(-1, 4) : Value(),
        _ => Value(),
    };

    /// <summary>A request body as bytes: usually a JSON object of plausible fields, often broken.</summary>
    public byte[] Body()
    {
        if (Chance(3)) return Encoding.UTF8.GetBytes(Clean().ToJsonString());
        var body = new JsonObject();
        foreach (var field in Fields.OrderBy(_ => _r.Next()).Take(_r.Next(0, 8))) body[field] = Plausible(field);
        if (!body.ContainsKey("name") && !Chance(6)) body["name"] = Text();
        var json = body.ToJsonString();
        return _r.Next(12) switch
        {
            0 => Encoding.UTF8.GetBytes(json[..(_r.Next(json.Length + 1))]),                          // truncated
            1 => Encoding.UTF8.GetBytes(Pick(["", "null", "[]", "\"x\"", "42", "{", "}", "{}", "{\"name\": \"a\", \"name\": \"b\"}", "not json"])),
            2 => Encoding.UTF8.GetBytes(new string('[', 200) + new string(']', 200)),                   // too deep
            3 => [.. Encoding.UTF8.GetBytes("{\"name\": \""), .. Enumerable.Range(0, 4).Select(_ => (byte)_r.Next(0x80, 0x100)), .. Encoding.UTF8.GetBytes("\"}")],
            4 => Encoding.UTF8.GetBytes(json.Replace("\"name\":", "\"name\": \"\\udc00\", \"n2\":")),   // lone surrogate escape
            5 => Enumerable.Range(0, _r.Next(1, 40)).Select(_ => (byte)_r.Next(256)).ToArray(),          // noise
            6 => Encoding.UTF8.GetBytes(json.Replace("}", ", \"count\": 1e999}")),
            _ => Encoding.UTF8.GetBytes(json),
        };
    }

    /// <summary>A valid create body (bar the odd unique-code collision).</summary>
    public JsonObject Clean() => new()
    {
        ["name"] = Pick(["alpha", "beta", "", "gamma", new string('p', 150) + _r.Next(3), "😀"]),
        ["code"] = Chance(2) ? null : $"{(char)_r.Next('A', 'D')}{(char)_r.Next('A', 'D')}{_r.Next(100, 110)}",
        ["count"] = Chance(4) ? null : _r.Next(-1000, 1001),
        ["ratio"] = Chance(4) ? null : Math.Round(_r.NextDouble() * 4 - 2, 2),
        ["price"] = Chance(4) ? null : Math.Round((decimal)_r.NextDouble() * 20m - 10m, 2),
        ["when"] = Chance(4) ? null : DateTimeOffset.UnixEpoch.AddDays(_r.Next(20000)).ToString("O"),
        ["color"] = Chance(4) ? null : Pick(["Red", "Green", "Blue"]),
        ["flag"] = _r.Next(2) == 0,
    };

    /// <summary>A content type, mostly JSON.</summary>
    public string? ContentType() => _r.Next(10) switch
    {
        0 => null,
        1 => Pick(["text/plain", "application/xml", "application/json; charset=latin1", "application/merge-patch+json", "application/json; charset=utf-8", "*/*", "application/", ";;;"]),
        _ => "application/json",
    };

    /// <summary>An id: an existing one, a mangled one, or garbage.</summary>
    public string Id(IReadOnlyList<string> known) => _r.Next(6) switch
    {
        0 or 1 when known.Count > 0 => Pick(known),
        2 when known.Count > 0 => Pick(known).ToUpperInvariant(),
        3 => Guid.CreateVersion7().ToString(),
        _ => Text(),
    };

    /// <summary>An ETag-ish header value (printable ASCII: what a client can send at all).</summary>
    public string Tag(IReadOnlyList<string> known) => Ascii(_r.Next(5) switch
    {
        0 when known.Count > 0 => Pick(known),
        1 => "*",
        2 => "W/\"x\"",
        3 => "\"" + Text() + "\"",
        _ => Text(),
    });

    /// <summary>Printable ASCII only: HTTP clients refuse to send anything else in a header.</summary>
    public static string Ascii(string text) => new(text.Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());

    /// <summary>A query string (without '?'): filters, search, ordering, page size and cursors, valid or not.</summary>
    public string Query(IReadOnlyList<string> cursors)
    {
        if (Chance(3))
        {
            // a plausible query, so pages, cursors and index plans are exercised too
            var plausible = new List<string> { "page_size=" + _r.Next(1, 4) };
            if (Chance(2)) plausible.Add("ordering=" + Pick(["name", "count", "-count", "price", "ratio", "when", "color", "-created_at", "count,name"]));
            if (Chance(2)) plausible.Add(Pick(["count__gte=0", "name=alpha", "color=red", "price__lt=0", "name__startswith=p", "code__isnull=true", "flag=true", "name__in=alpha,,beta"]));
            var known = cursors.Count > 0 && Chance(2) ? cursors[^_r.Next(1, Math.Min(cursors.Count, 5) + 1)] : null;
            if (known is not null) plausible.Add("cursor=" + Uri.EscapeDataString(known));
            return string.Join("&", plausible);
        }
        var parts = new List<string>();
        for (var i = _r.Next(0, 4); i > 0; i--)
        {
            var name = Pick(Fields) + Pick(Operators);
            var value = name.EndsWith("in", StringComparison.Ordinal) ? string.Join(",", Enumerable.Range(0, _r.Next(0, 4)).Select(_ => Text())) : Text();
            parts.Add(Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(value));
        }
        if (Chance(4)) parts.Add("search=" + Uri.EscapeDataString(Text()));
        if (Chance(3)) parts.Add("ordering=" + Uri.EscapeDataString(string.Join(",", Enumerable.Range(0, _r.Next(1, 3)).Select(_ => (Chance(2) ? "-" : "") + Pick(Fields)))));
        if (Chance(3)) parts.Add("page_size=" + Uri.EscapeDataString(Pick(["1", "5", "0", "-1", "1000", "abc", "", "99999999999"])));
        if (Chance(6)) parts.Add("page=" + Uri.EscapeDataString(Pick(["1", "2", "x"])));
        if (Chance(3))
        {
            var cursor = cursors.Count > 0 && !Chance(4) ? Pick(cursors) : Text();
            if (Chance(2) && cursor.Length > 2)
            {
                var chars = cursor.ToCharArray();
                chars[_r.Next(chars.Length)] = (char)_r.Next(0x21, 0x7F);
                cursor = new string(chars);
            }
            parts.Add("cursor=" + Uri.EscapeDataString(cursor));
        }
        if (Chance(8)) parts.Add(Pick(["ordering=name&ordering=count", "%ZZ=1", "=x", "&&", "name", "cursor=&cursor="]));
        return string.Join("&", parts.OrderBy(_ => _r.Next()));
    }
}
