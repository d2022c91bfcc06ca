using Amazon.S3;
using Amazon.S3.Model;
using LightS3.Hosting;
using LightS3.Storage;
using LightS3.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Tests.Time;

/// <summary>The stores the time features run on: memory, file, and RGW with bucket versioning off and on.</summary>
public enum TimeStore
{
    Memory,
    File,
    S3,
    /// <summary>RGW with bucket versioning enabled (Ceph RGW 16 then refuses conditional writes: see VersionedBucketTests).</summary>
    S3Versioned,
    /// <summary>Memory with every version kept and conditional writes enforced, as on an AWS S3 versioned bucket.</summary>
    MemoryVersioned,
}

/// <summary>Starts test apps on a <see cref="TimeStore"/>; the versioned bucket is created once per run with versioning enabled.</summary>
public static class TimeStores
{
    private static readonly Lazy<string> LazyVersionedBucket = new(CreateVersionedBucket);

    /// <summary>A bucket of this test run with versioning enabled.</summary>
    public static string VersionedBucket => External.Use("a versioned RGW bucket", () => LazyVersionedBucket.Value);

    /// <summary>The <see cref="TestStore"/> under a <see cref="TimeStore"/>.</summary>
    public static TestStore Kind(TimeStore store) => store switch
    {
        TimeStore.Memory or TimeStore.MemoryVersioned => TestStore.Memory,
        TimeStore.File => TestStore.File,
        _ => TestStore.S3,
    };

    /// <summary>Starts an app on <paramref name="store"/>, with JWTs from <see cref="Tokens"/> accepted and background jobs off.</summary>
    public static Task<TestApp> StartAsync(TimeStore store, Action<LightS3App> register, Action<LightS3Options>? configure = null, string? location = null) =>
        TestApp.StartAsync(Kind(store), register, o =>
        {
            if (store == TimeStore.S3Versioned) o.S3!.Bucket = VersionedBucket;
            o.Jwt.Secret = Tokens.Secret;
            o.Jwt.Issuer = Tokens.Issuer;
            o.Jwt.Audience = Tokens.Audience;
            o.GarbageCollectionInterval = TimeSpan.Zero;
            o.ExpirySweepInterval = TimeSpan.Zero;
            configure?.Invoke(o);
        }, location, configureServices: store == TimeStore.MemoryVersioned
            ? s => s.AddSingleton<IObjectStore>(sp => new VersionedMemoryStore(sp.GetRequiredService<RequestCounter>()))
            : null);

    private static string CreateVersionedBucket()
    {
        var bucket = $"lights3-time-ver-{DateTime.UtcNow:MMddHHmmss}-{Random.Shared.Next(1000, 9999)}";
        var options = S3TestServer.Options("x");
        options.Bucket = bucket;
        using (var store = new S3ObjectStore(options, new RequestCounter())) store.EnsureBucketAsync().GetAwaiter().GetResult();
        using var client = new AmazonS3Client(options.AccessKeyId, options.SecretAccessKey, new AmazonS3Config
        {
            ServiceURL = options.ServiceUrl, AuthenticationRegion = options.Region, ForcePathStyle = true,
            RequestChecksumCalculation = Amazon.Runtime.RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = Amazon.Runtime.ResponseChecksumValidation.WHEN_REQUIRED,
        });
        client.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = bucket,
            VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled },
        }).GetAwaiter().GetResult();
        return bucket;
    }

    /// <summary>Sends a request as <paramref name="subject"/> (anonymous when null).</summary>
    public static Task<HttpResponseMessage> AsAsync(this TestApp app, string? subject, HttpMethod method, string path, object? body = null,
        bool admin = false, string? ifMatch = null) =>
        app.SendAsync(method, path, body, r =>
        {
            if (subject is not null) r.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Tokens.Create(subject, admin));
            if (ifMatch is not null) r.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        });
}
