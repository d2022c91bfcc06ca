namespace LightS3;

/// <summary>Settings of the S3 store (bound from <c>LightS3:S3</c> and the <c>LIGHTS3_S3_*</c> / <c>AWS_*</c> variables).</summary>
public sealed class S3StoreOptions
{
    /// <summary>Bucket holding the records. Required.</summary>
    public string Bucket { get; set; } = "";

    /// <summary>Base path prefix inside the bucket, e.g. <c>apps/books</c>. Empty means the bucket root.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>Region (<c>AWS_REGION</c>); also the signing region for custom endpoints.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>Custom endpoint such as Ceph RGW or MinIO (<c>AWS_ENDPOINT_URL</c>). Null means AWS.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>Path-style addressing; defaults to true when <see cref="ServiceUrl"/> is set.</summary>
    public bool? ForcePathStyle { get; set; }

    /// <summary>Static credentials; when null the standard AWS credential chain is used.</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>Static secret key, paired with <see cref="AccessKeyId"/>.</summary>
    public string? SecretAccessKey { get; set; }

    /// <summary>Create the bucket at startup when it is missing (opt-in).</summary>
    public bool CreateBucket { get; set; }

    /// <summary>
    /// Whether the server enforces <c>If-Match</c> on DELETE (AWS S3 does since 2025-09; Ceph RGW 16 ignores it).
    /// When true, deletes take one request and are atomic compare-and-deletes; when false (the safe default),
    /// a HEAD checks existence and ETag first.
    /// </summary>
    public bool DeleteIfMatchEnforced { get; set; }

    /// <summary>Timeout of one HTTP attempt.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Upper bound on one store operation including the SDK's retries; beyond it the API answers 503.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries (with the SDK's exponential backoff) on throttling (503 SlowDown) and transient errors.</summary>
    public int MaxRetries { get; set; } = 2;
}
