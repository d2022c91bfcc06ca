namespace LightS3.S3Api;

/// <summary>
/// Keeps gateway writes off LightS3's own objects in buckets mapped onto the app's store: any key whose first segment
/// starts with <c>_</c> (<c>_lights3/</c>: jobs, migrations, this gateway's sidecars) and everything under a collection
/// (<c>{collection}/records|unique|index|files|…</c>) or a records path. Writing those through S3 would bypass
/// validation, versions, indexes and unique markers, so only a bucket configured as <c>Raw</c> may.
/// </summary>
internal sealed class S3WriteGuard(Func<IEnumerable<string>> protectedPrefixes)
{
    public void EnsureWritable(S3Bucket bucket, string key)
    {
        if (!bucket.Mapped || bucket.Raw) return;
        var storeKey = bucket.StoreKey(key);
        if (storeKey.StartsWith('_') || protectedPrefixes().Any(p => storeKey.StartsWith(p, StringComparison.Ordinal)))
            throw S3Exception.AccessDenied($"'{key}' belongs to LightS3 (a collection or its internals); only a Raw bucket may write it.");
    }
}
