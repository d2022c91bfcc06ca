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

    public static string MetaKey(string bucket, string key) => $"{Root}meta/{bucket}/{key}";
}
