using LightS3.Model;
using LightS3.Storage;
using LightS3.Storage.Embedded;

namespace LightS3.Hosting;

/// <summary>Builds the configured <see cref="IObjectStore"/>.</summary>
internal static class StoreFactory
{
    /// <summary>
    /// The store <paramref name="options"/> select, counting its requests into <paramref name="counter"/>.
    /// Throws <see cref="ConfigurationException"/> naming the setting to fix when the S3 store lacks a bucket or has an
    /// unusable endpoint URL.
    /// </summary>
    public static IObjectStore Create(LightS3Options options, RequestCounter counter, Amazon.S3.IAmazonS3? client = null) => options.EffectiveStorage switch
    {
        StorageKind.S3 => new S3ObjectStore(ValidS3(options.S3), counter, client),
        StorageKind.Memory => new InMemoryObjectStore(counter),
        StorageKind.Files => new FileObjectStore(options.DataDir, counter),
        StorageKind.Sqlite => new SqliteObjectStore(options.DataDir, counter),
        _ => EmbeddedStoreMigration.HoldsFileStoreData(options.DataDir)
            ? new FileObjectStore(options.DataDir, counter)
            : new SqliteObjectStore(options.DataDir, counter),
    };

    private static S3StoreOptions ValidS3(S3StoreOptions s3)
    {
        if (string.IsNullOrWhiteSpace(s3.Bucket))
            throw new ConfigurationException("LIGHTS3_STORAGE is s3 but no bucket is configured: set LIGHTS3_S3_BUCKET (or LightS3:S3:Bucket)");
        if (!string.IsNullOrEmpty(s3.ServiceUrl)
            && !(Uri.TryCreate(s3.ServiceUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
            throw new ConfigurationException($"S3 endpoint '{s3.ServiceUrl}' (AWS_ENDPOINT_URL, or YAML storage.endpoint_url) is not an http(s) URL such as http://127.0.0.1:7480");
        return s3;
    }

    /// <summary>A one-line description for the startup log.</summary>
    public static string Describe(IObjectStore store, LightS3Options options) =>
        (store.Find<S3ObjectStore>() ?? store.Find<FileObjectStore>() ?? store.Find<SqliteObjectStore>() ?? store) switch
        {
            S3ObjectStore s3 => $"S3 {s3.Location} at {s3.Endpoint}",
            FileObjectStore file => $"embedded file store (one file per object) in {file.DataDirectory}",
            SqliteObjectStore sqlite => $"embedded SQLite store {sqlite.DatabasePath}",
            _ => "in-memory store (nothing is persisted)",
        };
}
