namespace LightS3.S3Api;

/// <summary>
/// A bucket and where its keys live in the app's store: object <c>k</c> is store key <c>{StorePrefix}k</c>.
/// <see cref="Mapped"/> buckets come from configuration and may overlap LightS3's own objects; created ones own their prefix.
/// </summary>
internal sealed record S3Bucket(string Name, string StorePrefix, bool Mapped, bool Raw, bool AnonymousRead, DateTimeOffset Created)
{
    /// <summary>Where object <paramref name="key"/> lives (a folder marker's trailing <c>/</c> mapped, see <see cref="S3Keys.ToStore"/>).</summary>
    public string StoreKey(string key) => StorePrefix + S3Keys.ToStore(key);

    /// <summary>The store prefix every key starting with <paramref name="prefix"/> shares (listing prefixes are not mapped).</summary>
    public string StorePrefixOf(string prefix) => StorePrefix + prefix;

    /// <summary>The object key of a store key under <see cref="StorePrefix"/>.</summary>
    public string KeyOf(string storeKey) => S3Keys.FromStore(storeKey[StorePrefix.Length..]);
}
