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
        var page = await ListKeysAsync(store, bucket, prefix, delimiter, after, maxKeys, ct);
        return page.Contents.Count == 0 ? page : page with { Contents = await WithMultipartSizesAsync(store, bucket, page.Contents, ct) };
    }

    /// <summary>
    /// Multipart objects hold a manifest at their key: their size and ETag come from the bucket's multipart index, read with
    /// one listing over the page's key range (plus one read per multipart object on the page).
    /// </summary>
    private static async Task<IReadOnlyList<(string Key, ObjectEntry Entry)>> WithMultipartSizesAsync(IObjectStore store, S3Bucket bucket,
        IReadOnlyList<(string Key, ObjectEntry Entry)> contents, CancellationToken ct)
    {
        var indexPrefix = S3Layout.IndexPrefix(bucket.Name);
        var first = contents[0].Key;
        var last = contents[^1].Key;
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < contents.Count; i++) positions[contents[i].Key] = i;
        List<(string, ObjectEntry)>? fixedUp = null;
        // the first key minus its last character sorts just before it
        var firstStored = S3Keys.ToStore(first);
        var startAfter = firstStored.Length > 1 ? indexPrefix + firstStored[..^1] : null;
        await foreach (var entry in store.EnumerateAsync(indexPrefix, startAfter, ct))
        {
            var key = S3Keys.FromStore(entry.Key[indexPrefix.Length..]);
            if (string.CompareOrdinal(key, last) > 0) break;
            if (!positions.TryGetValue(key, out var at)) continue;
            var stored = await store.GetAsync(entry.Key, ct);
            if (stored is null || S3ManifestIndex.Parse(stored.Content) is not { } index) continue;
            var listed = contents[at].Entry;
            if (index.StoreETag != ETags.Normalize(listed.ETag)) continue; // stale: the object was rewritten since
            fixedUp ??= contents.ToList();
            fixedUp[at] = (key, listed with { ETag = index.Manifest.ETag, Size = index.Manifest.Size });
        }
        return fixedUp ?? contents;
    }

    private static async Task<S3ListPage> ListKeysAsync(IObjectStore store, S3Bucket bucket, string prefix, string? delimiter, string? after,
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
        if (lastPrefix is not null) storeAfter = bucket.StorePrefixOf(lastPrefix) + char.MaxValue;
        while (true)
        {
            var page = await store.ListAsync(bucket.StorePrefixOf(prefix), storeAfter, ObjectListings.MaxKeys, ct);
            var restarted = false;
            foreach (var entry in page.Entries)
            {
                storeAfter = entry.Key;
                var key = bucket.KeyOf(entry.Key);
                if (lastPrefix is not null && key.StartsWith(lastPrefix, StringComparison.Ordinal)) continue;
                var rolled = delimited ? RollUp(key, prefix, delimiter!) : null;
                if (contents.Count + prefixes.Count == maxKeys) return new S3ListPage(contents, prefixes, true, next);
                if (rolled is not null)
                {
                    prefixes.Add(rolled);
                    next = lastPrefix = rolled;
                    storeAfter = bucket.StorePrefixOf(rolled) + char.MaxValue; // jump past the rolled-up keys
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
