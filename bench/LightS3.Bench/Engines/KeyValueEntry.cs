using System.Text;
using LightS3.Storage;

namespace LightS3.Bench.Engines;

/// <summary>
/// How the engine prototypes store an object under its key: a 16-character ETag (a per-store counter, so monotonic per
/// key as the issue allows) followed by the content. Shared by the LMDB and RocksDB prototypes.
/// </summary>
internal static class KeyValueEntry
{
    private const int TagLength = 16;
    private static long _next = DateTime.UtcNow.Ticks;

    public static string NewETag() => Interlocked.Increment(ref _next).ToString("x16");

    public static byte[] Encode(string etag, ReadOnlySpan<byte> content)
    {
        var bytes = new byte[TagLength + content.Length];
        Encoding.ASCII.GetBytes(etag, bytes);
        content.CopyTo(bytes.AsSpan(TagLength));
        return bytes;
    }

    public static string ETagOf(ReadOnlySpan<byte> value) => Encoding.ASCII.GetString(value[..TagLength]);

    public static StoredObject Decode(string key, ReadOnlySpan<byte> value) => new(key, value[TagLength..].ToArray(), ETagOf(value));

    public static ObjectEntry Entry(string key, ReadOnlySpan<byte> value) => new(key, ETagOf(value), value.Length - TagLength, DateTimeOffset.UnixEpoch);

    /// <summary>Throws as S3 would when <paramref name="condition"/> does not hold for the current value (null: absent).</summary>
    public static void Check(string key, WriteCondition condition, byte[]? current)
    {
        var holds = condition.Kind switch
        {
            WriteConditionKind.IfNoneMatch => current is null,
            WriteConditionKind.IfMatch => current is not null && (condition.ETag == "*" || ETagOf(current) == condition.ETag),
            _ => true,
        };
        if (!holds) throw new PreconditionFailedException(key);
    }

    /// <summary>The first key a listing of <paramref name="prefix"/> after <paramref name="startAfter"/> may return.</summary>
    public static byte[] SeekKey(string prefix, string? startAfter) =>
        Encoding.UTF8.GetBytes(startAfter is not null && string.CompareOrdinal(startAfter, prefix) >= 0 ? startAfter + "\0" : prefix);
}
