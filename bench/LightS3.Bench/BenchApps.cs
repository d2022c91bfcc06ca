using LightS3.Hosting;
using LightS3.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LightS3.Bench;

/// <summary>The LightS3 side of every benchmark: an app on the test S3 server, quiet, on a random port.</summary>
public static class BenchApps
{
    /// <summary>The S3 endpoint from <c>AWS_ENDPOINT_URL</c> (set by scripts/bench.sh).</summary>
    public static string S3Endpoint => Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL") ?? throw new InvalidOperationException("AWS_ENDPOINT_URL unset: run via scripts/bench.sh");

    /// <summary>An app storing under <paramref name="bucket"/>/<paramref name="prefix"/>; <paramref name="configure"/> adds settings.</summary>
    public static LightS3App Create(string bucket, string prefix, Action<LightS3Options>? configure = null) => LightS3App.Create([], b =>
    {
        b.WebHost.UseUrls("http://127.0.0.1:0");
        b.Logging.ClearProviders();
        b.Services.PostConfigure<LightS3Options>(o =>
        {
            o.Storage = StorageKind.S3;
            o.S3.Bucket = bucket;
            o.S3.Prefix = prefix;
            o.S3.ServiceUrl = S3Endpoint;
            o.S3.CreateBucket = true;
            configure?.Invoke(o);
        });
    });
}
