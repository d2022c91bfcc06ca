using LightS3.Storage;

namespace LightS3.S3Api;

/// <summary>One page of a bucket listing: keys and common prefixes in key order, with where to continue.</summary>
internal sealed record S3ListPage(IReadOnlyList<(string Key, ObjectEntry Entry)> Contents, IReadOnlyList<string> CommonPrefixes, bool IsTruncated, string? Next);

/// <summary>
/// ListObjects over the store's ordered listing: keys under the prefix strictly after the marker, with keys sharing the
/// part up to the delimiter rolled into one common prefix (skipped past in the store, not read one by one), up to max-keys.
/// </summary>
internal static class S3Listing
{
    public static async Task<S3ListPage> ListAsync(IObjectStore store, S3Bucket bucket, string prefix, string? delimiter, string? after,
        int maxKeys, CancellationToken ct)
    {
        var contents = new List<(string, ObjectEntry)>();
        var prefixes = new List<string>();
        var delimited = !string.IsNullOrEmpty(delimiter);
        string? lastPrefix = null;
        // a marker that is itself a common prefix (a previous page ended on it) continues after everything under it
        if (delimited && after is not null && after.StartsWith(prefix, StringComparison.Ordinal)
            && RollUp(after, prefix, delimiter!) is { } markerPrefix && markerPrefix == after)
            lastPrefix = after;
        string? next = null;
        if (maxKeys == 0) return new S3ListPage(contents, prefixes, false, null);
        var storeAfter = after is null ? null : bucket.StoreKey(after);
        if (lastPrefix is not null) storeAfter = bucket.StoreKey(lastPrefix) + char.MaxValue;
        while (true)
        {
            var page = await store.ListAsync(bucket.StoreKey(prefix), storeAfter, ObjectListings.MaxKeys, ct);
            var restarted = false;
            foreach (var entry in page.Entries)
            {
                storeAfter = entry.Key;
                var key = entry.Key[bucket.StorePrefix.Length..];
                if (lastPrefix is not null && key.StartsWith(lastPrefix, StringComparison.Ordinal)) continue;
                var rolled = delimited ? RollUp(key, prefix, delimiter!) : null;
                if (contents.Count + prefixes.Count == maxKeys) return new S3ListPage(contents, prefixes, true, next);
                if (rolled is not null)
                {
                    prefixes.Add(rolled);
                    next = lastPrefix = rolled;
                    storeAfter = bucket.StoreKey(rolled) + char.MaxValue; // jump past the rolled-up keys
                    restarted = true;
                    break;
                }
                contents.Add((key, entry));
                next = key;
            }
            if (!restarted && !page.IsTruncated) return new S3ListPage(contents, prefixes, false, next);
        }
    }

    /// <summary>The common prefix <paramref name="key"/> rolls up into, or null when it has no delimiter after the prefix.</summary>
    private static string? RollUp(string key, string prefix, string delimiter)
    {
        var at = key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
        return at < 0 ? null : key[..(at + delimiter.Length)];
    }
}
