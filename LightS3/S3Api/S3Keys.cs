using System.Text;

namespace LightS3.S3Api;

/// <summary>Which object keys and bucket names the gateway accepts.</summary>
internal static class S3Keys
{
    public const int MaxKeyBytes = 1024;

    /// <summary>
    /// Refuses keys S3 refuses (empty, over 1,024 UTF-8 bytes) and keys no LightS3 store can hold safely: NUL and
    /// other control characters, <c>.</c> and <c>..</c> segments (a file store would resolve them as paths).
    /// </summary>
    public static void Validate(string key)
    {
        if (key.Length == 0) throw S3Exception.InvalidArgument("The object key must not be empty.");
        if (Encoding.UTF8.GetByteCount(key) > MaxKeyBytes) throw new S3Exception(400, "KeyTooLongError", "Your key is too long");
        if (key.Any(char.IsControl)) throw S3Exception.InvalidArgument("Object keys must not contain NUL or other control characters.");
        if (key.Split('/').Any(s => s is "." or ".."))
            throw S3Exception.InvalidArgument("Object keys must not contain '.' or '..' path segments.");
    }

    /// <summary>S3's bucket naming rules: 3–63 characters of lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.</summary>
    public static bool IsValidBucketName(string name) =>
        name.Length is >= 3 and <= 63
        && name.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '-')
        && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1])
        && !name.Contains("..", StringComparison.Ordinal)
        && !System.Net.IPAddress.TryParse(name, out _);
}
