using System.Security.Cryptography;

namespace LightS3.Storage;

/// <summary>ETag helpers shared by the stores: one unquoted, lowercase form everywhere inside LightS3.</summary>
internal static class ETags
{
    /// <summary>Strips quotes and a weak prefix, lowercases.</summary>
    public static string Normalize(string etag)
    {
        var e = etag.Trim();
        if (e.StartsWith("W/", StringComparison.Ordinal)) e = e[2..];
        return e.Trim('"').ToLowerInvariant();
    }

    /// <summary>The ETag S3 gives a single-part upload: the hex MD5 of the bytes.</summary>
    public static string Compute(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(MD5.HashData(content));

    /// <summary>The ETags of an <c>If-Match</c> / <c>If-None-Match</c> header value (a comma-separated list), normalized.</summary>
    public static IEnumerable<string> ParseList(string header) =>
        header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Normalize);

    /// <summary>Whether a conditional header (a list of ETags, or <c>*</c>) admits <paramref name="etag"/>.</summary>
    public static bool HeaderMatches(string header, string etag) =>
        header.Trim() == "*" || ParseList(header).Contains(Normalize(etag));

    /// <summary>The quoted form used in HTTP headers.</summary>
    public static string Quote(string etag) => $"\"{etag}\"";
}
