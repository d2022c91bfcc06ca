namespace LightS3.S3Api;

/// <summary>
/// The gateway's own area of the store, under LightS3's reserved <c>_lights3/</c>: the bucket registry, the objects of
/// buckets clients create, and the metadata sidecar of every object (content type, user metadata, last-modified).
/// </summary>
internal static class S3Layout
{
    public const string Root = "_lights3/s3/";
    public const string BucketsPrefix = Root + "buckets/";

    public static string BucketKey(string bucket) => BucketsPrefix + bucket;

    public static string DataPrefix(string bucket) => $"{Root}data/{bucket}/";

    public static string MetaKey(string bucket, string key) => $"{Root}meta/{bucket}/{S3Keys.ToStore(key)}";

    /// <summary>Where the multipart objects of a bucket are indexed (key order, like the bucket): listings read sizes here.</summary>
    public static string IndexPrefix(string bucket) => $"{Root}mp/{bucket}/";

    public static string IndexKey(string bucket, string key) => IndexPrefix(bucket) + S3Keys.ToStore(key);

    /// <summary>The records of a bucket's multipart uploads in progress.</summary>
    public static string UploadsPrefix(string bucket) => $"{Root}uploads/{bucket}/";

    public static string UploadKey(string bucket, string uploadId) => UploadsPrefix(bucket) + uploadId;

    /// <summary>One store object per part, kept after completion: a completed upload's manifest names them.</summary>
    public static string PartsPrefix(string bucket, string uploadId) => $"{Root}parts/{bucket}/{uploadId}/";

    public static string PartKey(string bucket, string uploadId, int partNumber) => PartsPrefix(bucket, uploadId) + partNumber.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
}
