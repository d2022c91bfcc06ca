using System.Text;

namespace LightS3.Storage.Embedded;

/// <summary>
/// The key range of a prefix listing as SQL bounds. The upper bound is the prefix's UTF-8 bytes followed by 0xFF, a
/// byte no UTF-8 text contains: every key with the prefix sorts below it, every greater key without it above it.
/// It is bound as a BLOB and cast to TEXT in SQL, so the range is exact for any key (no sentinel character).
/// </summary>
internal readonly record struct KeyRange(string Lower, bool LowerInclusive, byte[] Upper)
{
    /// <summary>The range of keys under <paramref name="prefix"/> strictly after <paramref name="startAfter"/>.</summary>
    public static KeyRange Of(string prefix, string? startAfter)
    {
        var prefixBytes = Encoding.UTF8.GetBytes(prefix);
        var upper = new byte[prefixBytes.Length + 1];
        prefixBytes.CopyTo(upper, 0);
        upper[^1] = 0xFF;
        // compare as UTF-8 bytes, the order SQLite (and S3) use, not as UTF-16 code units
        return startAfter is not null && Encoding.UTF8.GetBytes(startAfter).AsSpan().SequenceCompareTo(prefixBytes) >= 0
            ? new KeyRange(startAfter, false, upper)
            : new KeyRange(prefix, true, upper);
    }
}
