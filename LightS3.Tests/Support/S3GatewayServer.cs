using Amazon.Runtime;
using Amazon.S3;
using LightS3.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LightS3.Tests.Support;

/// <summary>
/// LightS3's S3 API over a fresh embedded store, on real Kestrel (127.0.0.1, random port), for the AWS SDK to talk to.
/// <see cref="Shared"/> serves the whole run (conformance suite); tests needing their own clock or buckets start one.
/// </summary>
public sealed class S3GatewayServer : IAsyncDisposable
{
    public const string AccessKey = "GATEWAYTESTKEY";
    public const string SecretKey = "gateway-test-secret-key-0123456789";
    public const string Bucket = "conformance";

    private static readonly Lazy<S3GatewayServer> LazyShared = new(() =>
    {
        var server = StartAsync().GetAwaiter().GetResult();
        using var store = new S3ObjectStore(server.StoreOptions(""), new RequestCounter());
        store.EnsureBucketAsync().GetAwaiter().GetResult();
        return server;
    });

    private S3GatewayServer(WebApplication app, string directory)
    {
        App = app;
        Directory = directory;
        Url = app.Urls.First();
    }

    public static S3GatewayServer Shared => LazyShared.Value;

    public WebApplication App { get; }
    public string Directory { get; }
    public string Url { get; }

    /// <summary>The app's own store (what the gateway serves).</summary>
    public IObjectStore Store => App.Services.GetRequiredService<IObjectStore>();

    public static async Task<S3GatewayServer> StartAsync(Action<S3ApiOptions>? configure = null, TimeProvider? time = null,
        Action<WebApplication>? map = null)
    {
        var directory = TestStores.NewDirectory();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddLightS3(o => TestStores.Apply(o, TestStore.Embedded, directory));
        if (time is not null) builder.Services.AddSingleton(time);
        var app = builder.Build();
        map?.Invoke(app);
        app.MapS3Api(configure: o =>
        {
            o.Credentials[AccessKey] = SecretKey;
            configure?.Invoke(o);
        });
        await app.StartAsync();
        return new S3GatewayServer(app, directory);
    }

    /// <summary>Options of an <see cref="S3ObjectStore"/> over the gateway under <paramref name="prefix"/>.</summary>
    public S3StoreOptions StoreOptions(string prefix) => new()
    {
        Bucket = Bucket,
        Prefix = prefix,
        ServiceUrl = Url,
        Region = "eu-test-1",
        AccessKeyId = AccessKey,
        SecretAccessKey = SecretKey,
        DeleteIfMatchEnforced = true, // the gateway honours If-Match on DELETE (atomic on the embedded store)
    };

    /// <summary>An AWS SDK client for the gateway (SDK defaults: chunked signed payloads over http).</summary>
    public AmazonS3Client Client(string? accessKey = null, string? secretKey = null, int retries = 0) =>
        new(new BasicAWSCredentials(accessKey ?? AccessKey, secretKey ?? SecretKey), new AmazonS3Config
        {
            ServiceURL = Url,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = retries,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        TestStores.TryDelete(Directory);
    }
}
