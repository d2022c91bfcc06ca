using System.Globalization;

namespace LightS3.S3Api;

/// <summary>A single byte range (<c>bytes=a-b</c>, <c>bytes=a-</c>, <c>bytes=-n</c>); others are ignored as RFC 9110 allows.</summary>
internal static class S3Range
{
    /// <summary>The range to serve, null for the whole object; unsatisfiable → 416 <c>InvalidRange</c>.</summary>
    public static (long Start, long Length)? Parse(string? header, long size)
    {
        if (header is null || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase)) return null;
        var spec = header[6..].Trim();
        if (spec.Contains(',')) return null;
        var dash = spec.IndexOf('-');
        if (dash < 0) return null;
        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        if (first.Length == 0)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix)) return null;
            if (suffix == 0 || size == 0) throw Unsatisfiable();
            var n = Math.Min(suffix, size);
            return (size - n, n);
        }
        if (!long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var start)) return null;
        long end = size - 1;
        if (last.Length > 0)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out end)) return null;
            if (end < start) return null;
            end = Math.Min(end, size - 1);
        }
        if (start >= size) throw Unsatisfiable();
        return (start, end - start + 1);
    }

    private static S3Exception Unsatisfiable() => new(416, "InvalidRange", "The requested range is not satisfiable");
}
