using System.Text;

namespace LightS3.Files;

/// <summary>Sanitizes client-supplied file names for storage and <c>Content-Disposition</c>.</summary>
internal static class FileNames
{
    /// <summary>Longest kept name, in characters.</summary>
    public const int MaxLength = 255;

    /// <summary>
    /// The last path segment of <paramref name="name"/>, without control or format characters, quotes, backslashes or path
    /// separators, trimmed to <see cref="MaxLength"/>; <paramref name="fallback"/> when nothing is left.
    /// </summary>
    public static string Sanitize(string? name, string fallback)
    {
        if (string.IsNullOrWhiteSpace(name)) return fallback;
        var last = name.Replace('\\', '/').Split('/').LastOrDefault(s => s.Length > 0) ?? "";
        var sb = new StringBuilder(last.Length);
        foreach (var c in last)
            if (!char.IsControl(c) && !IsInvisibleFormat(c) && c is not ('"' or ';' or '\u2028' or '\u2029') && !char.IsSurrogate(c)) sb.Append(c);
        var clean = sb.ToString().Trim().Trim('.');
        if (clean.Length > MaxLength) clean = clean[..MaxLength];
        return clean.Length == 0 ? fallback : clean;
    }

    // format characters (bidi overrides such as U+202E, zero-width marks) change how a name displays, not what it is:
    // "photo\u202Egnp.exe" would show as "photoexe.png"
    private static bool IsInvisibleFormat(char c) => char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format;

    /// <summary>An ASCII-only fallback of a name for the plain <c>filename=</c> parameter.</summary>
    public static string Ascii(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name) sb.Append(c is >= ' ' and < '\u007f' && c is not ('"' or '\\' or '%') ? c : '_');
        return sb.ToString();
    }

    /// <summary>A <c>Content-Disposition: attachment</c> value for <paramref name="name"/> (RFC 6266, with <c>filename*</c> for non-ASCII).</summary>
    public static string Attachment(string name) => $"attachment; filename=\"{Ascii(name)}\"; filename*=UTF-8''{Uri.EscapeDataString(name)}";
}
