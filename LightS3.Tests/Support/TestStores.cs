using LightS3.Hosting;
using LightS3.Storage;
using LightS3.Storage.Embedded;

namespace LightS3.Tests.Support;

/// <summary>Creates a fresh, isolated store of each kind for a test.</summary>
public static class TestStores
{
    /// <summary>A new temporary directory, removed by the caller via <see cref="TryDelete"/>.</summary>
    public static string NewDirectory() => Directory.CreateTempSubdirectory("lights3-test-").FullName;

    /// <summary>A store of <paramref name="kind"/>; file stores get a fresh directory, S3 stores a fresh prefix.</summary>
    public static IObjectStore Create(TestStore kind, RequestCounter counter, string? location = null) => kind switch
    {
        TestStore.Memory => new InMemoryObjectStore(counter),
        TestStore.File => new FileObjectStore(location ?? NewDirectory(), counter),
        TestStore.Embedded => new SqliteObjectStore(location ?? NewDirectory(), counter),
        TestStore.Gateway => new S3ObjectStore(S3GatewayServer.Shared.StoreOptions(location ?? S3TestServer.NewPrefix("store")), counter),
        _ => new S3ObjectStore(S3TestServer.Options(location ?? S3TestServer.NewPrefix("store")), counter),
    };

    /// <summary>Options that select <paramref name="kind"/> at <paramref name="location"/> (directory or S3 prefix).</summary>
    public static void Apply(LightS3Options o, TestStore kind, string location)
    {
        o.Storage = kind switch
        {
            TestStore.Memory => StorageKind.Memory,
            TestStore.File => StorageKind.Files,
            TestStore.Embedded => StorageKind.Sqlite,
            TestStore.Gateway => throw new NotSupportedException("apps over the S3 gateway are not a test store kind"),
            _ => StorageKind.S3,
        };
        if (UsesDirectory(kind)) o.DataDir = location;
        if (kind == TestStore.S3) o.S3 = S3TestServer.Options(location);
    }

    /// <summary>A fresh location for <paramref name="kind"/>.</summary>
    public static string NewLocation(TestStore kind) => kind switch
    {
        TestStore.File or TestStore.Embedded => NewDirectory(),
        TestStore.S3 => S3TestServer.NewPrefix("app"),
        _ => "",
    };

    /// <summary>Whether stores of <paramref name="kind"/> live in a (temporary) data directory.</summary>
    public static bool UsesDirectory(TestStore kind) => kind is TestStore.File or TestStore.Embedded;

    /// <summary>Removes a temporary directory, ignoring errors.</summary>
    public static void TryDelete(string? directory)
    {
        try
        {
            if (directory is not null && Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
