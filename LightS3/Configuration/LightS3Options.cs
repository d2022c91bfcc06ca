using LightS3.Model;
using LightS3.Storage;

namespace LightS3;

/// <summary>
/// LightS3's settings, bound from the <c>LightS3</c> configuration section and from the flat
/// <c>LIGHTS3_*</c> / <c>AWS_*</c> environment variables (see docs/configuration.md).
/// </summary>
public sealed class LightS3Options
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "LightS3";

    /// <summary>The store; when unset, S3 if a bucket is configured, else the embedded store in <see cref="DataDir"/> (see <see cref="StorageKind.File"/>).</summary>
    public StorageKind? Storage { get; set; }

    /// <summary>Data directory of the embedded store (relative paths are from the working directory).</summary>
    public string DataDir { get; set; } = "./data";

    /// <summary>
    /// The permission of endpoints that declare none (<c>LIGHTS3_DEFAULT_PERMISSION</c>, e.g. <c>IsAuthenticated</c>);
    /// null keeps them open (<c>AllowAny</c>). YAML: <c>defaults.authentication</c>.
    /// </summary>
    public string? DefaultPermission { get; set; }

    /// <summary>
    /// The authentication schemes that identify callers of LightS3 endpoints, tried in order; the first that succeeds
    /// wins. Default: LightS3's own (<c>LightS3Jwt</c>). Add the host's scheme (e.g. <c>"Bearer"</c> from
    /// <c>AddJwtBearer</c> for an external identity provider) to accept its tokens; see docs/auth.md.
    /// </summary>
    public List<string> AuthenticationSchemes { get; set; } = [];

    /// <summary>Bearer token validation.</summary>
    public JwtOptions Jwt { get; set; } = new();

    /// <summary>Origins allowed by CORS (<c>LIGHTS3_CORS_ORIGINS</c>, comma-separated; YAML <c>cors_origins</c>).</summary>
    public List<string> CorsOrigins { get; set; } = [];

    /// <summary>
    /// Proxies whose <c>X-Forwarded-For</c> is believed (<c>LIGHTS3_TRUSTED_PROXIES</c>). Empty (default): the header is
    /// ignored, so a client cannot pick its own address (e.g. to dodge the login rate limit).
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>Redis for response caching (<c>LIGHTS3_REDIS_URL</c>, e.g. <c>redis://localhost:6379/0</c>); unset = in-process cache.</summary>
    public string? RedisUrl { get; set; }

    /// <summary>Longest a cache call may take before the request is served uncached.</summary>
    public TimeSpan CacheTimeout { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Durable journal of cache invalidations not yet sent to Redis (<c>LIGHTS3_CACHE_JOURNAL</c>); null = a file under the
    /// temp directory named after the Redis URL. Put it on persistent storage, shared by the instances of one host.
    /// </summary>
    public string? CacheJournalPath { get; set; }

    /// <summary>Longest pause between two attempts to deliver pending cache invalidations, and the Redis reconnect interval.</summary>
    public TimeSpan CacheInvalidationRetry { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long shutdown waits for running background tasks.</summary>
    public TimeSpan BackgroundShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>File fields: URL lifetimes, the signing key of app-served URLs, the S3 event token (see docs/files.md).</summary>
    public FileFieldOptions Files { get; set; } = new();

    /// <summary>S3 settings.</summary>
    public S3StoreOptions S3 { get; set; } = new();

    /// <summary>Largest accepted request body, in bytes (413 beyond). Default 1 MiB.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest accepted <c>POST {route}/_bulk</c> body, in bytes (413 beyond; <c>LIGHTS3_MAX_BULK_BODY_BYTES</c>). Default 32 MiB.</summary>
    public long MaxBulkBodyBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Items of one <c>_bulk</c> request written at the same time (<c>LIGHTS3_BULK_PARALLELISM</c>). Default 16.</summary>
    public int BulkParallelism { get; set; } = 16;

    /// <summary>How long an <c>Idempotency-Key</c> is remembered (<c>LIGHTS3_IDEMPOTENCY_KEY_LIFETIME</c>). Default 24 hours.</summary>
    public TimeSpan IdempotencyKeyLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Most records an unpaginated list returns. Default 1,000.</summary>
    public int MaxListResults { get; set; } = 1000;

    /// <summary>Treatment of JSON properties that are not fields (default: reject with 422).</summary>
    public UnknownFieldPolicy UnknownFields { get; set; } = UnknownFieldPolicy.Reject;

    /// <summary>How long a fresh unique-value marker is honoured without its record (see docs/locking.md).</summary>
    public TimeSpan UniqueClaimGrace { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How often each instance removes tombstones of deleted records, free unique markers and leftover temporary files
    /// (<c>LIGHTS3_GC_INTERVAL</c>); zero or negative turns the background collection off. Default 10 minutes.
    /// </summary>
    public TimeSpan GarbageCollectionInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How old a tombstone, free marker or temporary file must be before it is removed (<c>LIGHTS3_GC_GRACE</c>).
    /// It must exceed the longest time a request can take (the S3 operation timeout and its retries). Default 10 minutes.
    /// </summary>
    public TimeSpan GarbageCollectionGrace { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How often each instance purges records that fell due — expired ones, and soft-deleted ones past their retention —
    /// walking the expiry index (<c>LIGHTS3_EXPIRY_SWEEP_INTERVAL</c>); zero or negative turns the sweep off (expired
    /// records stay invisible). Default 1 minute. See docs/history.md.
    /// </summary>
    public TimeSpan ExpirySweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The change feed and realtime events: settle delay, retention, polling, connection cap (see docs/realtime.md).</summary>
    public ChangeFeedOptions Changes { get; set; } = new();

    /// <summary>Records kept in the in-process record cache (keyed by key and ETag). 0 disables it.</summary>
    public int RecordCacheCapacity { get; set; } = 100_000;

    /// <summary>Concurrent GETs when loading a page of records.</summary>
    public int ReadParallelism { get; set; } = 16;

    /// <summary>
    /// Diagnostics: add an <c>X-LightS3-Store-Requests</c> header with the backend request count of each response
    /// (<c>LIGHTS3_STORE_REQUEST_HEADER=true</c>). Off by default; the count is always in the request log line and metrics.
    /// </summary>
    public bool StoreRequestHeader { get; set; }

    /// <summary>
    /// Keys that sign pagination cursors (HMAC-SHA256; <c>LIGHTS3_CURSOR_KEY</c>, comma-separated), at least 16
    /// characters each. The first signs, all verify: rotate by putting a new key first and dropping the old one later.
    /// Empty: a random per-process key (cursors then only work against the instance that issued them).
    /// </summary>
    public List<string> CursorSigningKeys { get; set; } = [];

    /// <summary>The OpenAPI document and the interactive docs (<c>LIGHTS3_OPENAPI</c>; see docs/openapi.md).</summary>
    public OpenApiSettings OpenApi { get; set; } = new();

    /// <summary>Serves the admin UI at <c>/admin</c> (<c>LIGHTS3_ADMIN=true</c>; YAML <c>admin: true</c>). Off by default; see docs/admin.md.</summary>
    public bool Admin { get; set; }

    /// <summary>The effective store kind.</summary>
    public StorageKind EffectiveStorage => Storage ?? (string.IsNullOrWhiteSpace(S3.Bucket) ? StorageKind.File : StorageKind.S3);
}
