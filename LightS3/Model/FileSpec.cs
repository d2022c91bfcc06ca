using System.Globalization;
using System.Text.RegularExpressions;

namespace LightS3.Model;

/// <summary>
/// The limits of a file field: largest size, allowed content types (exact, or <c>type/*</c>), and optional per-field
/// lifetimes of upload and download URLs (null uses the app-wide defaults).
/// </summary>
public sealed partial record FileSpec
{
    /// <summary>The largest size used when a file field declares none: 100 MiB.</summary>
    public const long DefaultMaxBytes = 100L * 1024 * 1024;

    /// <summary>The largest size a file field may declare: 5 GiB, S3's limit for one POST/PUT upload.</summary>
    public const long LimitBytes = 5L * 1024 * 1024 * 1024;

    /// <summary>Largest accepted size in bytes.</summary>
    public long MaxBytes { get; init; } = DefaultMaxBytes;

    /// <summary>Allowed content types (<c>image/png</c>, <c>image/*</c>); empty allows any.</summary>
    public IReadOnlyList<string> ContentTypes { get; init; } = [];

    /// <summary>Lifetime of an upload URL; null uses the app-wide default.</summary>
    public TimeSpan? UploadExpiry { get; init; }

    /// <summary>Lifetime of a download URL; null uses the app-wide default.</summary>
    public TimeSpan? DownloadExpiry { get; init; }

    /// <summary>Whether <paramref name="contentType"/> (a media type without parameters) is allowed.</summary>
    public bool Allows(string contentType) =>
        ContentTypes.Count == 0 || ContentTypes.Any(t => t.EndsWith("/*", StringComparison.Ordinal)
            ? contentType.StartsWith(t[..^1], StringComparison.OrdinalIgnoreCase)
            : string.Equals(t, contentType, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether <paramref name="value"/> looks like a media type (<c>type/subtype</c>, or <c>type/*</c> when <paramref name="wildcard"/>).</summary>
    public static bool IsMediaType(string value, bool wildcard = false) =>
        MediaTypePattern().IsMatch(value) || (wildcard && value.EndsWith("/*", StringComparison.Ordinal) && MediaTypePattern().IsMatch(value[..^1] + "x"));

    /// <summary>
    /// Parses a size: plain bytes (<c>1048576</c>) or a number with <c>B</c>, <c>KB</c>, <c>MB</c>, <c>GB</c> (binary
    /// multiples: 1 KB = 1024 bytes; <c>KiB</c>/<c>MiB</c>/<c>GiB</c> are accepted too). Null when it is not a size.
    /// </summary>
    public static long? ParseSize(string text)
    {
        var m = SizePattern().Match(text.Trim());
        if (!m.Success || !decimal.TryParse(m.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n)) return null;
        var unit = m.Groups[2].Value.ToUpperInvariant().Replace("I", "");
        decimal multiplier = unit switch { "" or "B" => 1, "KB" or "K" => 1024, "MB" or "M" => 1024 * 1024, "GB" or "G" => 1024L * 1024 * 1024, _ => 0 };
        if (multiplier == 0) return null;
        var bytes = n * multiplier;
        return bytes > long.MaxValue / 2 || bytes != decimal.Floor(bytes) ? null : (long)bytes;
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*([A-Za-z]*)$")]
    private static partial Regex SizePattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$")]
    private static partial Regex MediaTypePattern();
}
