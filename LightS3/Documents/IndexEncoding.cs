using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LightS3.Model;
using LightS3.Validation;

namespace LightS3.Documents;

/// <summary>
/// Encodes canonical values as text whose ordinal order is the values' order, for index keys:
/// <list type="bullet">
/// <item>null: <c>!</c> (below every other encoding, so nulls come first);</item>
/// <item>integers: 16 hex digits of the value with its sign bit flipped;</item>
/// <item>doubles: 16 hex digits of the IEEE bits (sign flipped for positives, all bits for negatives);</item>
/// <item>decimals: exact, as 52 hex digits of value × 10^28 + 2^200;</item>
/// <item>booleans: <c>0</c>/<c>1</c>;</item>
/// <item>text (strings, datetimes, UUIDs, enum names): lowercase hex of the UTF-8 bytes — order- and
/// prefix-preserving (UTF-8 byte order is code point order), so <c>__startswith</c> is a key prefix. The empty
/// string is <c>0</c> (an odd length no other text has; <c>0/</c> sorts before every <c>00…/</c>).
/// Values longer than <see cref="MaxTextBytes"/> bytes keep a bounded key (a file name is at most 255 bytes, an S3
/// key 1024): the hex of their first <see cref="MaxTextBytes"/> bytes, <c>z</c>, and 32 hex digits of a SHA-256
/// of the whole value. Such an encoding is <em>lossy</em> (<see cref="IsLossy"/>): it still sorts correctly against
/// every value that differs within the first bytes, but values sharing them order by hash, so readers verify
/// every hit against the record.</item>
/// </list>
/// Every non-null encoding uses only <c>0-9a-f</c> and <c>z</c>, all above <c>/</c>, which separates the value from the id.
/// </summary>
internal static class IndexEncoding
{
    /// <summary>Encoding of null.</summary>
    public const string Null = "!";

    /// <summary>Encoding of the empty string.</summary>
    public const string EmptyText = "0";

    /// <summary>Text longer than this many UTF-8 bytes is encoded as a truncated prefix plus a hash.</summary>
    public const int MaxTextBytes = 100;

    /// <summary>Separates the truncated prefix of a long text value from its hash; above every hex digit.</summary>
    public const char LongTextMarker = 'z';

    private const int HashHexDigits = 32;
    private static readonly BigInteger DecimalOffset = BigInteger.Pow(2, 200);

    /// <summary>Longest encoding of any value (a long text value): bounded, whatever the value's length.</summary>
    public const int MaxLength = 2 * MaxTextBytes + 1 + HashHexDigits;

    /// <summary>Encodes a canonical value of <paramref name="field"/>.</summary>
    public static string Encode(FieldModel field, JsonNode? value)
    {
        if (value is null) return Null;
        switch (field.Kind)
        {
            case FieldKind.Int or FieldKind.Long:
                return Hex((ulong)(long)FieldValues.ToComparable(field, value)! ^ 0x8000_0000_0000_0000UL);
            case FieldKind.Double:
                var d = (double)FieldValues.ToComparable(field, value)!;
                if (d == 0) d = 0; // -0.0 and 0.0 are one value
                var bits = (ulong)BitConverter.DoubleToInt64Bits(d);
                return Hex((bits & 0x8000_0000_0000_0000UL) == 0 ? bits ^ 0x8000_0000_0000_0000UL : ~bits);
            case FieldKind.Decimal:
                return EncodeDecimal((decimal)FieldValues.ToComparable(field, value)!);
            case FieldKind.Bool:
                return (bool)FieldValues.ToComparable(field, value)! ? "1" : "0";
            default:
                return EncodeText((string)FieldValues.ToComparable(field, value)!);
        }
    }

    /// <summary>
    /// Whether the encoding of <paramref name="value"/> loses information (a text value longer than
    /// <see cref="MaxTextBytes"/>): two such values may share an order position, so hits must be verified.
    /// </summary>
    public static bool IsLossy(FieldModel field, JsonNode? value) =>
        IsText(field) && value is JsonValue v && v.TryGetValue<string>(out var s) && Encoding.UTF8.GetByteCount(s) > MaxTextBytes;

    /// <summary>
    /// The prefix every encoding of a value starting with <paramref name="prefix"/> starts with (for <c>__startswith</c>):
    /// the hex of its first <see cref="MaxTextBytes"/> bytes.
    /// </summary>
    public static string EncodeTextPrefix(string prefix)
    {
        var bytes = Encoding.UTF8.GetBytes(prefix);
        return Convert.ToHexStringLower(bytes, 0, Math.Min(bytes.Length, MaxTextBytes));
    }

    /// <summary>
    /// For a lossy <paramref name="encoded"/> value: the bounds of every encoding that shares its truncated prefix, so a
    /// range bound on it can be widened to include them all (and verified). Null for an exact encoding.
    /// </summary>
    public static (string From, string To)? LossyGroup(string encoded)
    {
        var marker = encoded.IndexOf(LongTextMarker);
        if (marker < 0) return null;
        var prefix = encoded[..marker];
        return (prefix, prefix + LongTextMarker + "~"); // every hash is hex, below '~'
    }

    private static bool IsText(FieldModel field) => field.Kind is FieldKind.String or FieldKind.DateTime or FieldKind.Guid or FieldKind.Enum;

    private static string EncodeText(string text)
    {
        if (text.Length == 0) return EmptyText;
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length <= MaxTextBytes) return Convert.ToHexStringLower(bytes);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes), 0, HashHexDigits / 2);
        return Convert.ToHexStringLower(bytes, 0, MaxTextBytes) + LongTextMarker + hash;
    }

    private static string EncodeDecimal(decimal m)
    {
        var parts = decimal.GetBits(m);
        var mantissa = ((BigInteger)(uint)parts[2] << 64) | ((BigInteger)(uint)parts[1] << 32) | (uint)parts[0];
        var scale = (parts[3] >> 16) & 0xFF;
        var scaled = mantissa * BigInteger.Pow(10, 28 - scale);
        if (parts[3] < 0) scaled = -scaled;
        return (scaled + DecimalOffset).ToString("x", CultureInfo.InvariantCulture).TrimStart('0').PadLeft(52, '0');
    }

    private static string Hex(ulong v) => v.ToString("x16", CultureInfo.InvariantCulture);
}
