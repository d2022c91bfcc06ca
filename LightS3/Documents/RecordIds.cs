using System.Security.Cryptography;

namespace LightS3.Documents;

/// <summary>
/// Record ids: UUIDv7 strings whose text sorts in creation order (48-bit millisecond timestamp first,
/// then a per-process counter within a millisecond), so a plain key listing is already creation order.
/// </summary>
public static class RecordIds
{
    private static readonly Lock Gate = new();
    private static long _lastMs;
    private static int _sequence;

    /// <summary>A new, time-ordered id (lowercase, 36 characters).</summary>
    public static string New()
    {
        long ms;
        int seq;
        lock (Gate)
        {
            ms = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            if (ms > _lastMs)
            {
                _lastMs = ms;
                _sequence = RandomNumberGenerator.GetInt32(0, 0x400); // leave room to count up within the ms
            }
            else if (++_sequence > 0xFFF)
            {
                _lastMs++;
                _sequence = 0;
            }
            ms = _lastMs;
            seq = _sequence;
        }
        Span<byte> b = stackalloc byte[16];
        RandomNumberGenerator.Fill(b[8..]);
        for (var i = 0; i < 6; i++) b[i] = (byte)(ms >> (8 * (5 - i)));
        b[6] = (byte)(0x70 | (seq >> 8));
        b[7] = (byte)seq;
        b[8] = (byte)(0x80 | (b[8] & 0x3F));
        var hex = Convert.ToHexStringLower(b);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    /// <summary>
    /// Ids of reflected records (objects another program wrote, named <c>{id}.json</c>): 1–200 characters of
    /// letters, digits, '.', '_' and '-', starting with a letter or digit — never a path.
    /// </summary>
    public static bool IsSafeName(string? raw) =>
        raw is { Length: > 0 and <= 200 } && char.IsAsciiLetterOrDigit(raw[0]) && !raw.Contains("..", StringComparison.Ordinal)
        && raw.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>Validates an id from a URL for <paramref name="model"/>: UUIDs normally, safe names for reflected records.</summary>
    public static bool TryNormalize(Model.EndpointModel model, string? raw, out string id)
    {
        if (model.RecordsPath is null) return TryNormalize(raw, out id);
        id = raw ?? "";
        return IsSafeName(raw);
    }

    /// <summary>
    /// Accepts only a canonical UUID (36 characters, hex and dashes) and lowercases it. Anything else —
    /// path fragments, long strings — is rejected before storage is touched.
    /// </summary>
    public static bool TryNormalize(string? raw, out string id)
    {
        id = "";
        if (raw is null || raw.Length != 36 || !Guid.TryParseExact(raw, "D", out _)) return false;
        id = raw.ToLowerInvariant();
        return true;
    }
}
