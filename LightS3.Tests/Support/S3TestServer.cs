using System.Diagnostics;
using LightS3.Storage;

namespace LightS3.Tests.Support;

/// <summary>
/// The real S3 server the suite runs against (Ceph RGW started by scripts/test.sh). Its address comes from
/// the standard AWS_* variables. When they are missing, S3 tests fail — they never skip.
/// </summary>
public static class S3TestServer
{
    private static readonly Lazy<string> LazyBucket = new(CreateBucket);

    /// <summary>The endpoint, or a failed assertion when the server is not configured.</summary>
    public static string Endpoint
    {
        get
        {
            External.Require("the S3 test server (RGW)");
            return Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL") is { Length: > 0 } e
                ? e
                : throw new AssertionException("S3 test server not configured (AWS_ENDPOINT_URL unset): run the suite with scripts/test.sh");
        }
    }

    /// <summary>One bucket per test run; fixtures separate themselves by prefix.</summary>
    // checked before the Lazy: it would cache one uncategorised test's failure for every later S3 test
    public static string Bucket => External.Use("the S3 test server (RGW)", () => LazyBucket.Value);

    /// <summary>A unique prefix for one fixture or test.</summary>
    public static string NewPrefix(string name) => $"{name}-{Guid.NewGuid():N}"[..Math.Min(60, name.Length + 33)];

    /// <summary>S3 store options for <paramref name="prefix"/>.</summary>
    public static S3StoreOptions Options(string prefix) => new()
    {
        Bucket = prefix.Length == 0 ? "" : Bucket,
        Prefix = prefix,
        ServiceUrl = Endpoint,
        Region = Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1",
        AccessKeyId = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"),
        SecretAccessKey = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY"),
    };

    private static string CreateBucket()
    {
        var bucket = $"lights3-test-{DateTime.UtcNow:MMddHHmmss}-{Random.Shared.Next(1000, 9999)}";
        var options = Options("");
        options.Bucket = bucket;
        using var store = new S3ObjectStore(options, new RequestCounter());
        store.EnsureBucketAsync().GetAwaiter().GetResult();
        return bucket;
    }

    /// <summary>The data directory of the running RGW (for fault tests that stop and restart it).</summary>
    public static string DataDirectory => External.Use("the S3 test server's data directory", () =>
        Environment.GetEnvironmentVariable("S3_TEST_DATA_DIR") is { Length: > 0 } d
            ? d
            : throw new AssertionException("S3_TEST_DATA_DIR unset: run the suite with scripts/test.sh"));

    /// <summary>The radosgw process id, from the pid file the start script writes.</summary>
    public static int GatewayPid => int.Parse(File.ReadAllText(Path.Combine(DataDirectory, "run", "client.rgw.a.pid")).Trim());

    /// <summary>Starts radosgw again with the start script's configuration and waits until S3 answers.</summary>
    public static async Task RestartGatewayAsync()
    {
        var conf = Path.Combine(DataDirectory, "ceph.conf");
        using (var p = Process.Start(new ProcessStartInfo("radosgw", ["-c", conf, "-n", "client.rgw.a"]) { RedirectStandardOutput = true, RedirectStandardError = true })!)
            await p.WaitForExitAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                await http.GetAsync(Endpoint); // any HTTP answer means the gateway is serving again
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(200);
            }
        }
        throw new AssertionException("radosgw did not come back within 60 s");
    }
}
