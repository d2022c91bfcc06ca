using LightS3.Model;

namespace LightS3;

/// <summary>
/// Every flat setting LightS3 reads (<c>LIGHTS3_*</c> and the standard <c>AWS_*</c>), once: its name, the option of the
/// <c>LightS3</c> section it sets, and how its value is read (<see cref="SettingValues"/>). Applied over the section, so a
/// container needs nothing else; docs/configuration.md lists the same names, and a test checks both agree.
/// </summary>
internal static class EnvironmentVariables
{
    /// <summary>One flat setting: <paramref name="Name"/> sets <paramref name="Option"/> (a path in the <c>LightS3</c> section).</summary>
    internal sealed record Variable(string Name, string Option, Action<LightS3Options, string> Apply);

    private static Variable V(string name, string option, Action<LightS3Options, string> apply) => new(name, option, apply);

    /// <summary>The names, in the order they apply (a later one wins: the specific variables over <c>LIGHTS3_STORAGE_URL</c>).</summary>
    public static IReadOnlyList<Variable> All { get; } =
    [
        V("LIGHTS3_STORAGE_URL", "Storage, DataDir, S3:Bucket, S3:Prefix", (o, v) => StorageUrl(o, v)),
        V("LIGHTS3_STORAGE", "Storage", (o, v) => o.Storage = Storage(v)),
        V("LIGHTS3_DATA_DIR", "DataDir", (o, v) => o.DataDir = v),
        V("LIGHTS3_S3_BUCKET", "S3:Bucket", (o, v) => o.S3.Bucket = v),
        V("LIGHTS3_S3_PREFIX", "S3:Prefix", (o, v) => o.S3.Prefix = v),
        V("LIGHTS3_S3_CREATE_BUCKET", "S3:CreateBucket", (o, v) => o.S3.CreateBucket = SettingValues.Bool("LIGHTS3_S3_CREATE_BUCKET", v)),
        V("LIGHTS3_S3_TIMEOUT_SECONDS", "S3:OperationTimeout", (o, v) => o.S3.OperationTimeout = SettingValues.Duration("LIGHTS3_S3_TIMEOUT_SECONDS", v)),
        V("LIGHTS3_MAX_BODY_BYTES", "MaxBodyBytes", (o, v) => o.MaxBodyBytes = SettingValues.Size("LIGHTS3_MAX_BODY_BYTES", v)),
        V("LIGHTS3_MAX_BULK_BODY_BYTES", "MaxBulkBodyBytes", (o, v) => o.MaxBulkBodyBytes = SettingValues.Size("LIGHTS3_MAX_BULK_BODY_BYTES", v)),
        V("LIGHTS3_BULK_PARALLELISM", "BulkParallelism", (o, v) => o.BulkParallelism = SettingValues.Int("LIGHTS3_BULK_PARALLELISM", v)),
        V("LIGHTS3_IDEMPOTENCY_KEY_LIFETIME", "IdempotencyKeyLifetime", (o, v) => o.IdempotencyKeyLifetime = SettingValues.Duration("LIGHTS3_IDEMPOTENCY_KEY_LIFETIME", v)),
        V("LIGHTS3_DEFAULT_PERMISSION", "DefaultPermission", (o, v) => o.DefaultPermission = v),
        V("LIGHTS3_REDIS_URL", "RedisUrl", (o, v) => o.RedisUrl = v),
        V("LIGHTS3_CACHE_JOURNAL", "CacheJournalPath", (o, v) => o.CacheJournalPath = v),
        V("LIGHTS3_CURSOR_KEY", "CursorSigningKeys", (o, v) => o.CursorSigningKeys = [.. SettingValues.List(v)]),
        V("LIGHTS3_CORS_ORIGINS", "CorsOrigins", (o, v) => o.CorsOrigins = [.. SettingValues.List(v)]),
        V("LIGHTS3_TRUSTED_PROXIES", "TrustedProxies", (o, v) => o.TrustedProxies = [.. SettingValues.List(v)]),
        V("LIGHTS3_STORE_REQUEST_HEADER", "StoreRequestHeader", (o, v) => o.StoreRequestHeader = SettingValues.Bool("LIGHTS3_STORE_REQUEST_HEADER", v)),
        V("LIGHTS3_GC_INTERVAL", "GarbageCollectionInterval", (o, v) => o.GarbageCollectionInterval = SettingValues.Duration("LIGHTS3_GC_INTERVAL", v)),
        V("LIGHTS3_GC_GRACE", "GarbageCollectionGrace", (o, v) => o.GarbageCollectionGrace = SettingValues.Duration("LIGHTS3_GC_GRACE", v)),
        V("LIGHTS3_EXPIRY_SWEEP_INTERVAL", "ExpirySweepInterval", (o, v) => o.ExpirySweepInterval = SettingValues.Duration("LIGHTS3_EXPIRY_SWEEP_INTERVAL", v)),
        V("LIGHTS3_FILES_SIGNING_KEY", "Files:SigningKey", (o, v) => o.Files.SigningKey = v),
        V("LIGHTS3_FILES_EVENT_TOKEN", "Files:EventToken", (o, v) => o.Files.EventToken = v),
        V("LIGHTS3_JWT_SECRET", "Jwt:Secret", (o, v) => o.Jwt.Secret = v),
        V("LIGHTS3_JWT_PUBLIC_KEY", "Jwt:PublicKeyPem", (o, v) => o.Jwt.PublicKeyPem = v),
        V("LIGHTS3_JWT_ALGORITHM", "Jwt:Algorithm", (o, v) => o.Jwt.Algorithm = v),
        V("LIGHTS3_JWT_ISSUER", "Jwt:Issuer", (o, v) => o.Jwt.Issuer = v),
        V("LIGHTS3_JWT_AUDIENCE", "Jwt:Audience", (o, v) => o.Jwt.Audience = v),
        V("LIGHTS3_JWT_ADMIN_CLAIM", "Jwt:AdminClaim", (o, v) => o.Jwt.AdminClaim = v),
        V("LIGHTS3_ADMIN_ROLES", "Jwt:AdminRoles", (o, v) => o.Jwt.AdminRoles = [.. SettingValues.List(v)]),
        V("LIGHTS3_ADMIN", "Admin", (o, v) => o.Admin = SettingValues.Bool("LIGHTS3_ADMIN", v)),
        V("LIGHTS3_OPENAPI", "OpenApi:Path, OpenApi:Enabled", (o, v) => o.OpenApi.ApplyVariable(v)),
    ];

    private static StorageKind Storage(string value) =>
        value.Equals("embedded", StringComparison.OrdinalIgnoreCase) ? StorageKind.File
        : Enum.TryParse<StorageKind>(value, ignoreCase: true, out var kind) && Enum.IsDefined(kind) ? kind
        : throw new ConfigurationException($"LIGHTS3_STORAGE: '{value}' is not a store (use file, sqlite, files, s3 or memory)");

    /// <summary><c>s3://bucket/prefix</c>, <c>file:./dir</c> or <c>memory:</c> — the YAML <c>storage.url</c> syntax, for every app.</summary>
    private static void StorageUrl(LightS3Options o, string url)
    {
        if (url.StartsWith("s3://", StringComparison.Ordinal))
        {
            var rest = url[5..];
            var slash = rest.IndexOf('/');
            var bucket = slash < 0 ? rest : rest[..slash];
            if (bucket.Length == 0) throw new ConfigurationException($"LIGHTS3_STORAGE_URL: '{url}' names no bucket (use s3://bucket/prefix)");
            o.Storage = StorageKind.S3;
            o.S3.Bucket = bucket;
            o.S3.Prefix = slash < 0 ? "" : rest[(slash + 1)..].Trim('/');
        }
        else if (url.StartsWith("file:", StringComparison.Ordinal))
        {
            o.Storage = StorageKind.File;
            o.DataDir = url[5..].Length == 0 ? "./data" : url[5..];
        }
        else if (url is "memory:" or "memory") o.Storage = StorageKind.Memory;
        else throw new ConfigurationException($"LIGHTS3_STORAGE_URL: '{url}' is not a storage URL (use s3://bucket/prefix, file:./data or memory:)");
    }
}
