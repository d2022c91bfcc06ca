using System.Text;

namespace LightS3.S3Api;

/// <summary>Which object keys and bucket names the gateway accepts.</summary>
internal static class S3Keys
{
    public const int MaxKeyBytes = 1024;

    /// <summary>
    /// Refuses keys S3 refuses (empty, over 1,024 UTF-8 bytes) and keys no LightS3 store can hold: NUL and other control
    /// characters, backslashes, empty, <c>.</c> and <c>..</c> segments (a file store would resolve them as paths), and keys
    /// whose store key (bucket prefix included) or metadata key would pass the stores' 1,024-character limit.
    /// </summary>
    public static void Validate(S3Bucket bucket, string key)
    {
        if (key.Length == 0) throw S3Exception.InvalidArgument("The object key must not be empty.");
        if (Encoding.UTF8.GetByteCount(key) > MaxKeyBytes
            || Math.Max(bucket.StoreKey(key).Length, S3Layout.MetaKey(bucket.Name, key).Length) > LightS3.Storage.ObjectKeys.MaxLength)
            throw new S3Exception(400, "KeyTooLongError", "Your key is too long");
        if (key.Any(char.IsControl)) throw S3Exception.InvalidArgument("Object keys must not contain NUL or other control characters.");
        if (key.Contains('\\'))
            throw S3Exception.InvalidArgument("Object keys must not contain backslashes.");
        var segments = key.Split('/');
        if (segments.Length > 1 && segments[^1].Length == 0) segments = segments[..^1]; // a folder marker, "dir/"
        if (segments.Any(s => s is "" or "." or ".."))
            throw S3Exception.InvalidArgument("Object keys must not contain empty, '.' or '..' path segments (no leading or double '/').");
    }

    /// <summary>
    /// Marks a folder marker's trailing <c>/</c> with U+0001 (the stores refuse empty path segments). Order-preserving:
    /// keys never contain control characters, so <c>dir/</c> + U+0001 sorts exactly where <c>dir/</c> does among them.
    /// </summary>
    public static string ToStore(string key) => key.EndsWith('/') ? key + FolderMark : key;

    public static string FromStore(string storeKey) => storeKey.EndsWith("/" + FolderMark, StringComparison.Ordinal) ? storeKey[..^1] : storeKey;

    private const char FolderMark = '\u0001';

    /// <summary>S3's bucket naming rules: 3–63 characters of lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.</summary>
    public static bool IsValidBucketName(string name) =>
        name.Length is >= 3 and <= 63
        && name.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '-')
        && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1])
        && !name.Contains("..", StringComparison.Ordinal) && !name.Contains(".-", StringComparison.Ordinal) && !name.Contains("-.", StringComparison.Ordinal)
        && !System.Net.IPAddress.TryParse(name, out _);
}
