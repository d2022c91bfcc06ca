namespace LightS3.S3Api;

/// <summary>
/// A bucket and where its keys live in the app's store: object <c>k</c> is store key <c>{StorePrefix}k</c>.
/// <see cref="Mapped"/> buckets come from configuration and may overlap LightS3's own objects; created ones own their prefix.
/// </summary>
internal sealed record S3Bucket(string Name, string StorePrefix, bool Mapped, bool Raw, bool AnonymousRead, DateTimeOffset Created)
{
    public string StoreKey(string key) => StorePrefix + key;
}
