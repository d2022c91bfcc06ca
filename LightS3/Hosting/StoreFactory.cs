using LightS3.Storage;

namespace LightS3.Hosting;

/// <summary>Builds the configured <see cref="IObjectStore"/>.</summary>
public static class StoreFactory
{
    /// <summary>The store <paramref name="options"/> select, counting its requests into <paramref name="counter"/>.</summary>
    public static IObjectStore Create(LightS3Options options, RequestCounter counter) => options.EffectiveStorage switch
    {
        StorageKind.S3 => new S3ObjectStore(options.S3, counter),
        StorageKind.Memory => new InMemoryObjectStore(counter),
        _ => new FileObjectStore(options.DataDir, counter),
    };

    /// <summary>A one-line description for the startup log.</summary>
    public static string Describe(IObjectStore store, LightS3Options options) => (store.Find<S3ObjectStore>() ?? store.Find<FileObjectStore>() ?? store) switch
    {
        S3ObjectStore s3 => $"S3 {s3.Location} at {options.S3.ServiceUrl ?? "AWS " + options.S3.Region}",
        FileObjectStore file => $"embedded file store in {file.DataDirectory}",
        _ => "in-memory store (nothing is persisted)",
    };
}
