using System.Security.Cryptography;
using System.Text.Json;

namespace LightS3.S3Api;

/// <summary>One part of a multipart object: a store object of its own.</summary>
internal sealed record S3ManifestPart(string Key, long Size);

/// <summary>
/// What a completed multipart upload stores at the object's key instead of its bytes: the parts in order (each a store
/// object, written as it arrived), the total size and S3's multipart ETag. GET streams the parts one after the other, so
/// no object is ever assembled in memory. The sidecar marks the object as multipart (<see cref="S3ObjectMeta.Multipart"/>).
/// </summary>
internal sealed record S3Manifest(string ETag, long Size, IReadOnlyList<S3ManifestPart> Parts)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static S3Manifest? Parse(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            return JsonSerializer.Deserialize<S3Manifest>(bytes.Span, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>S3's multipart ETag: the MD5 of the parts' binary MD5s, then <c>-{part count}</c>.</summary>
    public static string ETagOf(IReadOnlyList<string> partETags)
    {
        var digests = partETags.SelectMany(Convert.FromHexString).ToArray();
        return $"{Convert.ToHexStringLower(MD5.HashData(digests))}-{partETags.Count}";
    }
}

/// <summary>
/// The index entry of a multipart object (<see cref="S3Layout.IndexKey"/>): its manifest and the store ETag of the
/// manifest object it describes. Listings use it for the real size and ETag; overwrites and deletes use it to delete the
/// parts. An entry whose <see cref="StoreETag"/> no longer matches the object is stale and ignored.
/// </summary>
internal sealed record S3ManifestIndex(string StoreETag, S3Manifest Manifest)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static S3ManifestIndex? Parse(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            return JsonSerializer.Deserialize<S3ManifestIndex>(bytes.Span, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
