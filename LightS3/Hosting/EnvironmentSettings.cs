using Microsoft.Extensions.Configuration;

namespace LightS3.Hosting;

/// <summary>
/// Applies the flat environment-style keys (<c>LIGHTS3_STORAGE</c>, <c>LIGHTS3_S3_BUCKET</c>, <c>AWS_ENDPOINT_URL</c>, …)
/// over the <c>LightS3</c> section, so a container can be configured with plain variables.
/// </summary>
internal static class EnvironmentSettings
{
    public static void Apply(IConfiguration config, LightS3Options o)
    {
        string? Get(string key) => config[key] is { Length: > 0 } v ? v : null;

        if (Get("LIGHTS3_STORAGE") is { } storage)
            o.Storage = storage.Equals("embedded", StringComparison.OrdinalIgnoreCase) ? StorageKind.File
                : Enum.TryParse<StorageKind>(storage, ignoreCase: true, out var kind) && Enum.IsDefined(kind)
                    ? kind
                    : throw new Model.ConfigurationException($"LIGHTS3_STORAGE: unknown store '{storage}' (use file, sqlite, files, s3 or memory)");
        if (Get("LIGHTS3_DATA_DIR") is { } dir) o.DataDir = dir;
        if (Get("LIGHTS3_S3_BUCKET") is { } bucket) o.S3.Bucket = bucket;
        if (Get("LIGHTS3_S3_PREFIX") is { } prefix) o.S3.Prefix = prefix;
        if (Get("LIGHTS3_S3_CREATE_BUCKET") is { } create) o.S3.CreateBucket = bool.TryParse(create, out var c) && c;
        if (Get("LIGHTS3_S3_TIMEOUT_SECONDS") is { } timeout && double.TryParse(timeout, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
            o.S3.OperationTimeout = TimeSpan.FromSeconds(seconds);
        if (Get("LIGHTS3_MAX_BODY_BYTES") is { } max && long.TryParse(max, out var bytes)) o.MaxBodyBytes = bytes;
        if (Get("LIGHTS3_MAX_BULK_BODY_BYTES") is { } maxBulk && long.TryParse(maxBulk, out var bulkBytes)) o.MaxBulkBodyBytes = bulkBytes;
        if (Get("LIGHTS3_BULK_PARALLELISM") is { } bulkParallelism && int.TryParse(bulkParallelism, out var bulkItems)) o.BulkParallelism = bulkItems;
        if (Get("LIGHTS3_IDEMPOTENCY_KEY_LIFETIME") is { } keyLifetime) o.IdempotencyKeyLifetime = Duration("LIGHTS3_IDEMPOTENCY_KEY_LIFETIME", keyLifetime);
        if (Get("LIGHTS3_DEFAULT_PERMISSION") is { } permission) o.DefaultPermission = permission;
        if (Get("LIGHTS3_REDIS_URL") is { } redis) o.RedisUrl = redis;
        if (Get("LIGHTS3_CACHE_JOURNAL") is { } journal) o.CacheJournalPath = journal;
        if (Get("LIGHTS3_CURSOR_KEY") is { } cursorKeys) o.CursorSigningKeys = [.. cursorKeys.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        if (Get("LIGHTS3_CORS_ORIGINS") is { } origins) o.CorsOrigins = [.. origins.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        if (Get("LIGHTS3_TRUSTED_PROXIES") is { } proxies) o.TrustedProxies = [.. proxies.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        if (Get("LIGHTS3_STORE_REQUEST_HEADER") is { } header) o.StoreRequestHeader = bool.TryParse(header, out var on) && on;
        if (Get("LIGHTS3_GC_INTERVAL") is { } gcInterval) o.GarbageCollectionInterval = Duration("LIGHTS3_GC_INTERVAL", gcInterval);
        if (Get("LIGHTS3_FILES_SIGNING_KEY") is { } filesKey) o.Files.SigningKey = filesKey;
        if (Get("LIGHTS3_FILES_EVENT_TOKEN") is { } eventToken) o.Files.EventToken = eventToken;
        if (Get("LIGHTS3_EXPIRY_SWEEP_INTERVAL") is { } sweep) o.ExpirySweepInterval = Duration("LIGHTS3_EXPIRY_SWEEP_INTERVAL", sweep);
        if (Get("LIGHTS3_GC_GRACE") is { } gcGrace) o.GarbageCollectionGrace = Duration("LIGHTS3_GC_GRACE", gcGrace);
        if (Get("LIGHTS3_JWT_SECRET") is { } jwtSecret) o.Jwt.Secret = jwtSecret;
        if (Get("LIGHTS3_JWT_PUBLIC_KEY") is { } pem) o.Jwt.PublicKeyPem = pem;
        if (Get("LIGHTS3_JWT_ALGORITHM") is { } alg) o.Jwt.Algorithm = alg;
        if (Get("LIGHTS3_JWT_ISSUER") is { } iss) o.Jwt.Issuer = iss;
        if (Get("LIGHTS3_JWT_AUDIENCE") is { } aud) o.Jwt.Audience = aud;
        if (Get("LIGHTS3_JWT_ADMIN_CLAIM") is { } admin) o.Jwt.AdminClaim = admin;
        if (Get("LIGHTS3_ADMIN_ROLES") is { } roles) o.Jwt.AdminRoles = [.. roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        if ((Get("AWS_ENDPOINT_URL_S3") ?? Get("AWS_ENDPOINT_URL")) is { } endpoint) o.S3.ServiceUrl ??= endpoint;
        if ((Get("AWS_REGION") ?? Get("AWS_DEFAULT_REGION")) is { } region) o.S3.Region = region;
        if (Get("AWS_ACCESS_KEY_ID") is { } key && Get("AWS_SECRET_ACCESS_KEY") is { } secret)
        {
            o.S3.AccessKeyId ??= key;
            o.S3.SecretAccessKey ??= secret;
        }
    }

    /// <summary>A duration as seconds (<c>600</c>) or a TimeSpan (<c>00:10:00</c>).</summary>
    private static TimeSpan Duration(string name, string value) =>
        double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var span)
                ? span
                : throw new Model.ConfigurationException($"{name}: '{value}' is not a duration (seconds, or hh:mm:ss)");
}
