namespace LightS3;

/// <summary>
/// Settings of the S3-compatible API (<c>app.MapS3Api()</c>, docs/s3-api.md), bound from <c>LightS3:S3Api</c> plus the
/// <c>LIGHTS3_S3_API_ACCESS_KEY</c> / <c>LIGHTS3_S3_API_SECRET_KEY</c> variables.
/// </summary>
public sealed class S3ApiOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "LightS3:S3Api";

    /// <summary>Access key id → secret key pairs accepted for Signature V4. At least one is required.</summary>
    public Dictionary<string, string> Credentials { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Buckets mapped onto fixed prefixes of the app's store (e.g. <c>app</c> → prefix <c>""</c> to browse the records).
    /// Buckets clients create live under the gateway's own area, <c>_lights3/s3/data/{bucket}/</c>.
    /// </summary>
    public Dictionary<string, S3ApiBucketOptions> Buckets { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Host suffix for virtual-host-style requests: with <c>s3.localhost</c>, <c>Host: photos.s3.localhost</c> addresses bucket <c>photos</c>.</summary>
    public string? VirtualHostSuffix { get; set; }

    /// <summary>Largest object body accepted by one PUT (bodies are held in memory: the store writes whole objects).</summary>
    public long MaxObjectSize { get; set; } = 256L * 1024 * 1024;
}

/// <summary>One bucket mapped onto a prefix of the app's store.</summary>
public sealed class S3ApiBucketOptions
{
    /// <summary>The store prefix the bucket's keys live under; empty means the whole store.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>
    /// Whether writes may touch LightS3's own objects (records, indexes, unique markers, <c>_lights3/</c>). Off: such
    /// writes and deletes are refused with <c>AccessDenied</c>, so the gateway never corrupts a collection.
    /// </summary>
    public bool Raw { get; set; }

    /// <summary>Whether unsigned GET/HEAD requests may read this bucket.</summary>
    public bool AnonymousRead { get; set; }
}
