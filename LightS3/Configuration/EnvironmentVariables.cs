using LightS3.Model;
using Microsoft.Extensions.Configuration;

namespace LightS3;

/// <summary>
/// Every flat setting LightS3 reads (<c>LIGHTS3_*</c> and the standard <c>AWS_*</c>), once: its name, the key of the
/// <c>LightS3</c> section it sets, and how its value is read (<see cref="SettingValues"/>). <see cref="LightS3ConfigurationProvider"/>
/// maps them onto those keys; docs/configuration.md lists the same names, and a test checks both agree.
/// </summary>
internal static class EnvironmentVariables
{
    /// <summary>One key (relative to the <c>LightS3</c> section) and its value, as the binder reads it.</summary>
    internal readonly record struct Setting(string Key, string? Value);

    /// <summary>
    /// One flat setting: <paramref name="Name"/> sets <paramref name="Option"/> (keys of the <c>LightS3</c> section);
    /// <paramref name="Map"/> turns its value (and, for pairs, the other settings) into those keys, or throws a
    /// <see cref="ConfigurationException"/> naming the setting and the value.
    /// </summary>
    internal sealed record Variable(string Name, string Option, Func<string, IConfiguration, IEnumerable<Setting>> Map);

    private static Variable V(string name, string option, Func<string, string> read) =>
        new(name, option, (v, _) => [new(option, read(v))]);

    private static Variable Text(string name, string option) => V(name, option, v => v);

    private static Variable Bool(string name, string option) => V(name, option, v => SettingValues.Format(SettingValues.Bool(name, v)));

    private static Variable Duration(string name, string option) => V(name, option, v => SettingValues.Format(SettingValues.Duration(name, v)));

    private static Variable Size(string name, string option) => V(name, option, v => SettingValues.Size(name, v).ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static Variable List(string name, string option) =>
        new(name, option, (v, _) => SettingValues.List(v).Select((item, i) => new Setting($"{option}:{i}", item)));

    /// <summary>The documented names, in the order they apply (a later one wins: the specific variables over <c>LIGHTS3_STORAGE_URL</c>).</summary>
    public static IReadOnlyList<Variable> All { get; } =
    [
        new("LIGHTS3_STORAGE_URL", "Storage, DataDir, S3:Bucket, S3:Prefix", (v, _) => StorageUrl(v)),
        V("LIGHTS3_STORAGE", "Storage", v => Storage(v).ToString()),
        Text("LIGHTS3_DATA_DIR", "DataDir"),
        Text("LIGHTS3_S3_BUCKET", "S3:Bucket"),
        Text("LIGHTS3_S3_PREFIX", "S3:Prefix"),
        Bool("LIGHTS3_S3_CREATE_BUCKET", "S3:CreateBucket"),
        Duration("LIGHTS3_S3_TIMEOUT_SECONDS", "S3:OperationTimeout"),
        Size("LIGHTS3_MAX_BODY_BYTES", "MaxBodyBytes"),
        Size("LIGHTS3_MAX_BULK_BODY_BYTES", "MaxBulkBodyBytes"),
        V("LIGHTS3_BULK_PARALLELISM", "BulkParallelism", v => SettingValues.Int("LIGHTS3_BULK_PARALLELISM", v).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Duration("LIGHTS3_IDEMPOTENCY_KEY_LIFETIME", "IdempotencyKeyLifetime"),
        Text("LIGHTS3_DEFAULT_PERMISSION", "DefaultPermission"),
        Text("LIGHTS3_REDIS_URL", "RedisUrl"),
        Text("LIGHTS3_CACHE_JOURNAL", "CacheJournalPath"),
        List("LIGHTS3_CURSOR_KEY", "CursorSigningKeys"),
        List("LIGHTS3_CORS_ORIGINS", "CorsOrigins"),
        List("LIGHTS3_TRUSTED_PROXIES", "TrustedProxies"),
        Bool("LIGHTS3_STORE_REQUEST_HEADER", "StoreRequestHeader"),
        Duration("LIGHTS3_GC_INTERVAL", "GarbageCollectionInterval"),
        Duration("LIGHTS3_GC_GRACE", "GarbageCollectionGrace"),
        Duration("LIGHTS3_EXPIRY_SWEEP_INTERVAL", "ExpirySweepInterval"),
        Text("LIGHTS3_FILES_SIGNING_KEY", "Files:SigningKey"),
        Text("LIGHTS3_FILES_EVENT_TOKEN", "Files:EventToken"),
        Text("LIGHTS3_JWT_SECRET", "Jwt:Secret"),
        Text("LIGHTS3_JWT_PUBLIC_KEY", "Jwt:PublicKeyPem"),
        Text("LIGHTS3_JWT_ALGORITHM", "Jwt:Algorithm"),
        Text("LIGHTS3_JWT_ISSUER", "Jwt:Issuer"),
        Text("LIGHTS3_JWT_AUDIENCE", "Jwt:Audience"),
        Text("LIGHTS3_JWT_ADMIN_CLAIM", "Jwt:AdminClaim"),
        List("LIGHTS3_ADMIN_ROLES", "Jwt:AdminRoles"),
        Bool("LIGHTS3_ADMIN", "Admin"),
        new("LIGHTS3_OPENAPI", "OpenApi:Path, OpenApi:Enabled", (v, _) => OpenApi(v)),
        new("LIGHTS3_S3_API_ACCESS_KEY", "S3Api:Credentials", (v, config) => config["LIGHTS3_S3_API_SECRET_KEY"] is { Length: > 0 } secret
            ? [new($"S3Api:Credentials:{v}", secret)]
            : throw new ConfigurationException("LIGHTS3_S3_API_ACCESS_KEY is set but LIGHTS3_S3_API_SECRET_KEY is not")),
        // read with its access key above; alone it is an error
        new("LIGHTS3_S3_API_SECRET_KEY", "S3Api:Credentials", (_, config) => config["LIGHTS3_S3_API_ACCESS_KEY"] is { Length: > 0 } ? []
            : throw new ConfigurationException("LIGHTS3_S3_API_SECRET_KEY is set but LIGHTS3_S3_API_ACCESS_KEY is not")),
    ];

    /// <summary>
    /// The standard AWS variables: the region wins over the section (as the SDK's own); an endpoint and a key pair only
    /// fill what the section leaves unset, so an app's own <c>LightS3:S3</c> settings keep the last word on them.
    /// </summary>
    public static IReadOnlyList<Variable> Aws { get; } =
    [
        new("AWS_REGION", "S3:Region", (v, _) => [new("S3:Region", v)]),
        new("AWS_DEFAULT_REGION", "S3:Region", (v, config) => config["AWS_REGION"] is { Length: > 0 } ? [] : [new("S3:Region", v)]),
        new("AWS_ENDPOINT_URL", "S3:ServiceUrl", (v, config) => Unset(config, "S3:ServiceUrl") && config["AWS_ENDPOINT_URL_S3"] is not { Length: > 0 } ? [new("S3:ServiceUrl", v)] : []),
        new("AWS_ENDPOINT_URL_S3", "S3:ServiceUrl", (v, config) => Unset(config, "S3:ServiceUrl") ? [new("S3:ServiceUrl", v)] : []),
        new("AWS_ACCESS_KEY_ID", "S3:AccessKeyId", (v, config) => config["AWS_SECRET_ACCESS_KEY"] is { Length: > 0 } && Unset(config, "S3:AccessKeyId")
            ? [new("S3:AccessKeyId", v)] : []),
        new("AWS_SECRET_ACCESS_KEY", "S3:SecretAccessKey", (v, config) => config["AWS_ACCESS_KEY_ID"] is { Length: > 0 } && Unset(config, "S3:SecretAccessKey")
            ? [new("S3:SecretAccessKey", v)] : []),
    ];

    private static bool Unset(IConfiguration config, string key) => string.IsNullOrEmpty(config[$"{LightS3Options.Section}:{key}"]);

    private static StorageKind Storage(string value) =>
        value.Trim().Equals("embedded", StringComparison.OrdinalIgnoreCase) ? StorageKind.File
        : Enum.TryParse<StorageKind>(value.Trim(), ignoreCase: true, out var kind) && Enum.IsDefined(kind) && !int.TryParse(value, out _) ? kind
        : throw new ConfigurationException($"LIGHTS3_STORAGE: '{value}' is not a store (use file, sqlite, files, s3 or memory)");

    /// <summary><c>s3://bucket/prefix</c>, <c>file:./dir</c> or <c>memory:</c> — the YAML <c>storage.url</c> syntax, for every app.</summary>
    private static IEnumerable<Setting> StorageUrl(string url)
    {
        if (url.StartsWith("s3://", StringComparison.Ordinal))
        {
            var rest = url[5..];
            var slash = rest.IndexOf('/');
            var bucket = slash < 0 ? rest : rest[..slash];
            if (bucket.Length == 0) throw new ConfigurationException($"LIGHTS3_STORAGE_URL: '{url}' names no bucket (use s3://bucket/prefix)");
            return [new("Storage", nameof(StorageKind.S3)), new("S3:Bucket", bucket), new("S3:Prefix", slash < 0 ? "" : rest[(slash + 1)..].Trim('/'))];
        }
        if (url.StartsWith("file:", StringComparison.Ordinal))
            return [new("Storage", nameof(StorageKind.File)), new("DataDir", url[5..].Length == 0 ? "./data" : url[5..])];
        if (url is "memory:" or "memory") return [new("Storage", nameof(StorageKind.Memory))];
        throw new ConfigurationException($"LIGHTS3_STORAGE_URL: '{url}' is not a storage URL (use s3://bucket/prefix, file:./data or memory:)");
    }

    /// <summary><c>LIGHTS3_OPENAPI</c>: a boolean turns the document on or off, a path moves it (and turns it on).</summary>
    internal static IEnumerable<Setting> OpenApi(string value)
    {
        value = value.Trim();
        if (value.StartsWith('/')) return [new("OpenApi:Enabled", bool.TrueString), new("OpenApi:Path", value)];
        try
        {
            return [new("OpenApi:Enabled", SettingValues.Format(SettingValues.Bool("LIGHTS3_OPENAPI", value)))];
        }
        catch (ConfigurationException)
        {
            throw new ConfigurationException($"LIGHTS3_OPENAPI: '{value}' is not a boolean (true or false) or a path such as /openapi/v1.json");
        }
    }
}
