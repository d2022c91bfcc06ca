using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Model;
using LightS3.Query;
using LightS3.Validation;

namespace LightS3.Tests.Querying;

/// <summary>
/// Property tests (seeded, reproducible): for every field type, the ordinal order of index encodings is the order
/// of the values as the query engine compares them (<see cref="RecordMatcher.Compare(FieldModel, JsonNode?, JsonNode?)"/>),
/// equal values encode equally, and every encoding is bounded, non-empty and made of key-safe characters. For long
/// text the order holds up to the documented hash tie-break among values sharing their first 100 bytes.
/// </summary>
public sealed class IndexEncodingPropertyTests
{
    private const int Pairs = 4000;

    private static FieldModel Field(FieldKind kind) => new() { Name = "f", Kind = kind, Nullable = true, EnumValues = ["Alpha", "beta", "Gamma"] };

    private static JsonNode? Canonical(FieldModel field, JsonNode? raw)
    {
        Assert.That(FieldValues.TryCanonicalize(field, raw, out var canonical, out var error), Is.True, error);
        return canonical;
    }

    private static string RandomText(Random r)
    {
        var length = r.Next(6) switch { 0 => 0, 1 => r.Next(1, 4), 2 => r.Next(95, 106), 3 => r.Next(120, 400), _ => r.Next(1, 30) };
        var shared = r.Next(3) == 0 ? new string('p', Math.Min(length, 110)) : ""; // many values sharing a long prefix
        var text = new StringBuilder(shared);
        while (text.Length < length)
        {
            switch (r.Next(8))
            {
                case 0: text.Append((char)r.Next(0, 0x20)); break;                         // controls, NUL
                case 1: text.Append((char)r.Next(0x80, 0x800)); break;                     // 2-byte UTF-8
                case 2: text.Append((char)r.Next(0xE000, 0x10000)); break;                 // above the surrogates
                case 3: text.Append(char.ConvertFromUtf32(r.Next(0x10000, 0x10FFFF))); break; // supplementary: a surrogate pair
                default: text.Append((char)r.Next(0x20, 0x7F)); break;
            }
        }
        return text.ToString();
    }

    private static JsonNode? RandomValue(FieldKind kind, Random r)
    {
        if (r.Next(25) == 0) return null;
        return kind switch
        {
            FieldKind.Int => JsonValue.Create(r.Next(4) == 0 ? new[] { int.MinValue, int.MaxValue, 0, -1, 1 }[r.Next(5)] : r.Next(-1000, 1000)),
            FieldKind.Long => JsonValue.Create(r.Next(4) == 0 ? new[] { long.MinValue, long.MaxValue, 0L, -1L }[r.Next(4)] : r.NextInt64(long.MinValue, long.MaxValue)),
            FieldKind.Double => JsonValue.Create(r.Next(5) switch
            {
                0 => new[] { double.MaxValue, double.MinValue, double.Epsilon, -double.Epsilon, 0d, -0d, 1e-300, -1e300 }[r.Next(8)],
                1 => r.Next(-10, 10),
                _ => (r.NextDouble() - 0.5) * Math.Pow(10, r.Next(-20, 20)),
            }),
            FieldKind.Decimal => JsonValue.Create(r.Next(5) switch
            {
                0 => new[] { decimal.MaxValue, decimal.MinValue, 0m, -0.0000000000000000000000000001m, 0.0000000000000000000000000001m }[r.Next(5)],
                1 => Math.Round((decimal)(r.NextDouble() - 0.5) * 1000m, r.Next(0, 6)),
                _ => new decimal(r.Next(), r.Next(), r.Next(), r.Next(2) == 0, (byte)r.Next(0, 29)),
            }),
            FieldKind.Bool => JsonValue.Create(r.Next(2) == 0),
            FieldKind.DateTime => JsonValue.Create(new DateTimeOffset(r.NextInt64(DateTimeOffset.MinValue.UtcTicks, DateTimeOffset.MaxValue.UtcTicks), TimeSpan.Zero)
                .ToString("O", CultureInfo.InvariantCulture)),
            FieldKind.Guid => JsonValue.Create(Guid.NewGuid().ToString(r.Next(2) == 0 ? "D" : "N").ToUpperInvariant()),
            FieldKind.Enum => JsonValue.Create(new[] { "alpha", "BETA", "Gamma" }[r.Next(3)]),
            _ => JsonValue.Create(RandomText(r)),
        };
    }

    private static int Sign(int c) => Math.Sign(c);

    [TestCase(FieldKind.Int)]
    [TestCase(FieldKind.Long)]
    [TestCase(FieldKind.Double)]
    [TestCase(FieldKind.Decimal)]
    [TestCase(FieldKind.Bool)]
    [TestCase(FieldKind.DateTime)]
    [TestCase(FieldKind.Guid)]
    [TestCase(FieldKind.Enum)]
    [TestCase(FieldKind.String)]
    public void Index_encoding_preserves_the_order_of_values(FieldKind kind)
    {
        var field = Field(kind);
        var random = new Random(20240611 + (int)kind);
        for (var i = 0; i < Pairs; i++)
        {
            var a = Canonical(field, RandomValue(kind, random));
            var b = r(i) ? a?.DeepClone() : Canonical(field, RandomValue(kind, random));
            var ea = IndexEncoding.Encode(field, a);
            var eb = IndexEncoding.Encode(field, b);
            var values = Sign(RecordMatcher.Compare(field, a, b));
            var keys = Sign(string.CompareOrdinal(ea + "/", eb + "/")); // as they sort inside keys, before the id
            var context = $"a={a?.ToJsonString()} b={b?.ToJsonString()} ea={ea} eb={eb}";
            if (IndexEncoding.IsLossy(field, a) && IndexEncoding.IsLossy(field, b) && SharePrefix(a!, b!))
                Assert.That(keys == 0, Is.EqualTo(values == 0), "lossy encodings sharing a prefix: equal exactly when the values are; " + context);
            else
                Assert.That(keys, Is.EqualTo(values), context);
            foreach (var e in new[] { ea, eb })
            {
                Assert.That(e.Length, Is.InRange(1, IndexEncoding.MaxLength), context);
                Assert.That(e == IndexEncoding.Null || e.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f') or IndexEncoding.LongTextMarker), Is.True, context);
            }
        }

        static bool r(int i) => i % 10 == 0; // some equal pairs
    }

    private static bool SharePrefix(JsonNode a, JsonNode b)
    {
        var x = Encoding.UTF8.GetBytes(a.GetValue<string>());
        var y = Encoding.UTF8.GetBytes(b.GetValue<string>());
        return x.AsSpan(0, IndexEncoding.MaxTextBytes).SequenceEqual(y.AsSpan(0, IndexEncoding.MaxTextBytes));
    }

    [Test]
    public void A_text_prefix_encodes_as_a_prefix_of_every_value_starting_with_it()
    {
        var field = Field(FieldKind.String);
        var random = new Random(7);
        for (var i = 0; i < Pairs; i++)
        {
            var value = RandomText(random);
            var prefix = value[..CutAt(value, random.Next(value.Length + 1))];
            var encoded = IndexEncoding.Encode(field, JsonValue.Create(value));
            Assert.That(encoded == IndexEncoding.EmptyText ? prefix.Length == 0 : encoded.StartsWith(IndexEncoding.EncodeTextPrefix(prefix), StringComparison.Ordinal),
                Is.True, $"value={value} prefix={prefix}");
        }

        // never split a surrogate pair: a prefix is a string a client could send
        static int CutAt(string s, int i) => i > 0 && i < s.Length && char.IsLowSurrogate(s[i]) ? i - 1 : i;
    }

    [Test]
    public void Text_compares_by_code_point_as_utf8_bytes_do()
    {
        var random = new Random(11);
        for (var i = 0; i < Pairs; i++)
        {
            var a = RandomText(random);
            var b = RandomText(random);
            Assert.That(Sign(FieldValues.CompareText(a, b)), Is.EqualTo(Sign(Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b)))));
        }
    }
}
