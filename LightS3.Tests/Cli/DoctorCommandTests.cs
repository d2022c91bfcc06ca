using LightS3.Storage;
using LightS3.Tests.Support;

namespace LightS3.Tests.Cli;

/// <summary><c>lights3 doctor</c> against the embedded store and the test RGW (in buckets of its own).</summary>
[Category(External.Category)]
[Parallelizable(ParallelScope.All)]
public sealed class DoctorCommandTests
{
    private static readonly Lazy<string> DoctorBucket = new(() =>
    {
        var options = S3TestServer.Options("");
        options.Bucket = $"lights3-cli-doctor-{Guid.NewGuid():N}"[..40];
        using var store = new S3ObjectStore(options, new RequestCounter());
        store.EnsureBucketAsync().GetAwaiter().GetResult();
        return options.Bucket;
    });

    private static string Row(CliRun run, string check) =>
        run.Output.Split('\n').FirstOrDefault(l => l.StartsWith(check + " ", StringComparison.Ordinal)) ?? throw new AssertionException($"no row '{check}':\n{run}");

    private static CliWorkspace S3Workspace(string bucket, string extra = "")
    {
        var ws = CliWorkspace.Create($"storage:\n  url: \"s3://{bucket}/doctor\"\n  endpoint_url: \"{S3TestServer.Endpoint}\"\n{extra}" + CliSamples.Endpoints);
        return ws;
    }

    [Test]
    public async Task On_rgw_every_check_passes_and_delete_if_match_is_reported_ignored_with_nothing_to_do()
    {
        using var ws = S3Workspace(DoctorBucket.Value);
        External.Require("Redis");
        ws.Env["LIGHTS3_REDIS_URL"] = "redis://" + (Environment.GetEnvironmentVariable("LIGHTS3_TEST_REDIS") ?? throw new AssertionException("LIGHTS3_TEST_REDIS unset"));
        var run = await ws.RunAsync("doctor");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(Row(run, "bucket and credentials"), Does.Contain(" ok ").And.Contain($"s3://{DoctorBucket.Value}"));
        Assert.That(Row(run, "read-after-write"), Does.Contain(" ok "));
        Assert.That(Row(run, "PUT If-None-Match: *"), Does.Contain(" ok ").And.Contain("enforced"));
        Assert.That(Row(run, "PUT If-Match"), Does.Contain(" ok ").And.Contain("enforced"));
        Assert.That(Row(run, "DELETE If-Match"), Does.Contain("ignored").And.Contain("LightS3 uses tombstones, nothing to do"));
        Assert.That(Row(run, "versioning"), Does.Contain(" ok ").And.Contain("off"));
        Assert.That(Row(run, "clock skew"), Does.Contain("under 2 s"));
        Assert.That(Row(run, "redis"), Does.Contain("PING"));
        Assert.That(Row(run, "jwt key"), Does.Contain("HS256 secret"));
    }

    [Test]
    public async Task On_rgw_claiming_delete_if_match_is_enforced_fails_with_exit_1()
    {
        using var ws = S3Workspace(DoctorBucket.Value, "  delete_if_match_enforced: true\n");
        var run = await ws.RunAsync("doctor");
        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(Row(run, "DELETE If-Match"), Does.Contain("FAIL").And.Contain("set it to false"));
        Assert.That(run.Errors, Does.Contain("1 check(s) failed"));
    }

    [Test]
    public async Task A_missing_bucket_fails_and_skips_the_checks_that_need_it()
    {
        using var ws = S3Workspace($"lights3-cli-missing-{Guid.NewGuid():N}"[..40]);
        var run = await ws.RunAsync("doctor");
        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(Row(run, "bucket and credentials"), Does.Contain("FAIL").And.Contain("does not exist"));
        Assert.That(Row(run, "PUT If-Match"), Does.Contain("skipped"));
    }

    [Test]
    public async Task On_the_embedded_store_conditional_writes_are_enforced_and_a_missing_jwt_key_fails_when_endpoints_authenticate()
    {
        using var ws = CliWorkspace.Create("");
        ws.Write("lightapi.yaml", ws.FileStorage + CliSamples.Endpoints);
        var ok = await ws.RunAsync("doctor");
        Assert.That(ok.ExitCode, Is.Zero, ok.ToString());
        foreach (var check in new[] { "PUT If-None-Match: *", "PUT If-Match", "DELETE If-Match" })
            Assert.That(Row(ok, check), Does.Contain(" ok ").And.Contain("enforced"), check);
        Assert.That(Directory.GetFiles(ws.DataDir, "*", SearchOption.AllDirectories).Where(f => f.Contains("_lights3-doctor") && !Directory.Exists(f)), Is.Empty, "the probe is removed");

        ws.Env["LIGHTS3_JWT_SECRET"] = null;
        var noKey = await ws.RunAsync("doctor");
        Assert.That(noKey.ExitCode, Is.EqualTo(1), noKey.ToString());
        Assert.That(Row(noKey, "jwt key"), Does.Contain("FAIL").And.Contain("/orders authenticate: serve refuses to start"));
    }

    [Test]
    public async Task An_unreachable_redis_is_a_warning_not_a_failure()
    {
        using var ws = CliWorkspace.Create("storage: { url: \"memory:\" }\nendpoints:\n  - route: /a\n    fields: { a: { type: str } }\n");
        ws.Env["LIGHTS3_REDIS_URL"] = "redis://127.0.0.1:9";
        var run = await ws.RunAsync("doctor");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(Row(run, "redis"), Does.Contain("warn").And.Contain("unreachable"));
    }
}
