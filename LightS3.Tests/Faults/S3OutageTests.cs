using System.Diagnostics;
using System.Net;
using LightS3.Tests.Support;

namespace LightS3.Tests.Faults;

/// <summary>
/// S3 stopping mid-run: requests get a 503 problem within the configured bound (never a hang or a 500),
/// and the app recovers by itself when S3 returns. Uses the real RGW process: frozen (SIGSTOP, the
/// timeout case) and killed (connection refused), then resumed and restarted.
/// </summary>
[NonParallelizable]
public sealed class S3OutageTests
{
    private TestApp _app = null!;
    private string _id = "";

    [OneTimeSetUp]
    public async Task Start()
    {
        _app = await TestApp.StartAsync(TestStore.S3, a => a.Register<LenientEndpoint>("/items"), o =>
        {
            o.S3.RequestTimeout = TimeSpan.FromSeconds(1);
            o.S3.OperationTimeout = TimeSpan.FromSeconds(2);
            o.S3.MaxRetries = 1;
            o.RecordCacheCapacity = 0;
        });
        _id = (await _app.CreateAsync("/items", new { name = "before the outage" }))["id"]!.GetValue<string>();
    }

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    private static void Signal(string signal, int pid)
    {
        using var p = Process.Start("kill", [signal, pid.ToString()])!;
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.Zero, $"kill {signal} {pid}");
    }

    private async Task<(HttpStatusCode Status, TimeSpan Elapsed, string Body)> Timed(Func<Task<HttpResponseMessage>> call)
    {
        var watch = Stopwatch.StartNew();
        var response = await call();
        return (response.StatusCode, watch.Elapsed, await response.Content.ReadAsStringAsync());
    }

    [Test, Order(1)]
    public async Task A_frozen_s3_gives_503_within_the_timeout_then_recovers()
    {
        var pid = S3TestServer.GatewayPid;
        Signal("-STOP", pid);
        try
        {
            var get = await Timed(() => _app.Client.GetAsync($"/items/{_id}"));
            var post = await Timed(() => _app.PostAsync("/items", new { name = "during" }));
            Assert.That(get.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), get.Body);
            Assert.That(post.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), post.Body);
            Assert.That(get.Body, Does.Contain("storage is unavailable"));
            Assert.That(get.Elapsed, Is.LessThan(TimeSpan.FromSeconds(6)), "bounded by the operation timeout, not a hang");
            TestContext.Out.WriteLine($"frozen S3: GET 503 after {get.Elapsed.TotalMilliseconds:0} ms, POST 503 after {post.Elapsed.TotalMilliseconds:0} ms");
        }
        finally
        {
            Signal("-CONT", pid);
        }
        Assert.That(await _app.Client.GetAsync($"/items/{_id}").StatusAsync(), Is.EqualTo(200), "recovers without a restart");
    }

    [Test, Order(2)]
    public async Task A_stopped_s3_gives_503_quickly_then_recovers_after_restart()
    {
        Signal("-KILL", S3TestServer.GatewayPid);
        try
        {
            await Task.Delay(300);
            var get = await Timed(() => _app.Client.GetAsync($"/items/{_id}"));
            var list = await Timed(() => _app.Client.GetAsync("/items"));
            Assert.That(get.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), get.Body);
            Assert.That(list.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), list.Body);
            Assert.That(get.Elapsed, Is.LessThan(TimeSpan.FromSeconds(6)));
            TestContext.Out.WriteLine($"stopped S3: GET 503 after {get.Elapsed.TotalMilliseconds:0} ms");
        }
        finally
        {
            await S3TestServer.RestartGatewayAsync();
        }
        var after = await _app.Client.GetAsync($"/items/{_id}");
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK), "recovers by itself; the data is intact");
        Assert.That((await after.JsonAsync())["name"]!.GetValue<string>(), Is.EqualTo("before the outage"));
    }
}
