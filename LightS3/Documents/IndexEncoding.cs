using System.Globalization;
using System.Numerics;
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
/// prefix-preserving, so <c>__startswith</c> is a key prefix. Values past 128 bytes are truncated:
/// such keys still find every match (hits are verified) but order among values sharing 128 bytes is by id.</item>
/// </list>
/// Every non-null encoding uses only <c>0-9a-f</c>, all above <c>/</c>, which separates the value from the id.
/// </summary>
public static class IndexEncoding
{
    /// <summary>Encoding of null.</summary>
    public const string Null = "!";

    private const int MaxTextBytes = 128;
    private static readonly BigInteger DecimalOffset = BigInteger.Pow(2, 200);

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

    /// <summary>The encoding of a text prefix (for <c>__startswith</c>), or null when it cannot be a key prefix.</summary>
    public static string? EncodeTextPrefix(string prefix) =>
        Encoding.UTF8.GetByteCount(prefix) <= MaxTextBytes ? Convert.ToHexStringLower(Encoding.UTF8.GetBytes(prefix)) : null;

    private static string EncodeText(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return Convert.ToHexStringLower(bytes, 0, Math.Min(bytes.Length, MaxTextBytes));
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
