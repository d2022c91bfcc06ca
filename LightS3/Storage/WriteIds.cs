namespace LightS3.Storage;

/// <summary>
/// The id each conditional S3 write carries as user metadata (<c>x-amz-meta-lights3-write</c>). When a conditional PUT's
/// outcome is ambiguous — a 5xx (Ceph RGW answers some losing racers with 500), or a precondition failure on the SDK's
/// retry of an attempt that may have landed — the store reads the object's write id back (1 HEAD): the write won only if
/// that id is its own. Bytes cannot decide it: two writers may send the very same bytes (every tombstone is alike), and
/// an ETag check would then tell both that they won.
/// </summary>
internal static class WriteIds
{
    /// <summary>The user-metadata name (the SDK adds the <c>x-amz-meta-</c> prefix).</summary>
    public const string MetadataKey = "lights3-write";

    /// <summary>A fresh id: 128 random bits.</summary>
    public static string New() => Guid.NewGuid().ToString("N");
}
