using System.Diagnostics;
using System.Net;
using LightS3.Tests.Support;

namespace LightS3.Tests.Faults;

/// <summary>
/// S3 stopping mid-run: requests get a 503 problem within the configured bound (never a hang or a 500),
/// and the app recovers by itself when S3 returns. Uses the real RGW process: frozen (SIGSTOP, the
/// timeout case) and killed (connection refused), then resumed and restarted.
/// </summary>
[Category(External.Category)]
[NonParallelizable]
public sealed class S3OutageTests
{
    private TestApp _app = null!;
    private string _id = "";

    // A hang guard, not a latency figure (those are printed): 30× the 2 s operation timeout, so a machine at load
    // average 30 cannot trip it, and below the 100 s the SDK and HttpClient would wait without LightS3's own timeouts.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

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

    internal static void Signal(string signal, int pid)
    {
        using var p = Process.Start("kill", [signal, pid.ToString()])!;
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.Zero, $"kill {signal} {pid}");
    }

    private static async Task<(HttpStatusCode Status, TimeSpan Elapsed, string Body)> Timed(Func<Task<HttpResponseMessage>> call)
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
            Assert.That(get.Elapsed, Is.LessThan(HangGuard), "bounded by the operation timeout, not a hang");
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
            Assert.That(get.Elapsed, Is.LessThan(HangGuard), "bounded by the operation timeout, not a hang");
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

    [Test, Order(3)]
    public async Task A_create_that_claimed_a_unique_value_when_s3_froze_answers_503_within_one_operation_timeout()
    {
        var freezing = new FreezingStore();
        await using var app = await StartBooksAsync(freezing);
        freezing.FreezeBefore = key => key.Contains("/records/", StringComparison.Ordinal); // after the marker is claimed
        try
        {
            var post = await Timed(() => app.PostAsync("/books", new { title = "t", author = "a", isbn = "9785555555555" }));
            Assert.That(post.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), post.Body);
            TestContext.Out.WriteLine($"frozen after the claim: POST 503 after {post.Elapsed.TotalMilliseconds:0} ms (operation timeout 2 s)");
            Assert.That(post.Elapsed, Is.LessThan(HangGuard), "bounded by the operation timeout, not a hang");
        }
        finally
        {
            freezing.Thaw();
        }
        // The timed-out PUT may still land when the gateway resumes (it was queued there): then its claim is real.
        // Otherwise the claim is an orphan, taken over once older than the grace period. Either way: one holder.
        await Task.Delay(1500);
        var retry = await app.PostAsync("/books", new { title = "t", author = "a", isbn = "9785555555555" });
        var holders = (await (await app.Client.GetAsync("/books")).JsonAsync())["results"]!.AsArray()
            .Count(b => b!["isbn"]?.GetValue<string>() == "9785555555555");
        TestContext.Out.WriteLine($"after thawing: the unacknowledged create {(retry.StatusCode == HttpStatusCode.Created ? "did not land" : "landed")}");
        Assert.That((int)retry.StatusCode, Is.AnyOf(201, 409));
        Assert.That(holders, Is.EqualTo(1));
    }

    [Test, Order(4)]
    public async Task A_delete_whose_cleanup_meets_a_frozen_s3_is_acknowledged_within_the_cleanup_budget()
    {
        var freezing = new FreezingStore();
        await using var app = await StartBooksAsync(freezing);
        var id = (await app.CreateAsync("/books", new { title = "t", author = "a", isbn = "9786666666666" }))["id"]!.GetValue<string>();
        freezing.FreezeBefore = key => key.Contains("/unique/", StringComparison.Ordinal); // the tombstone is written, the release stalls
        try
        {
            var delete = await Timed(() => app.SendAsync(HttpMethod.Delete, $"/books/{id}"));
            Assert.That(delete.Status, Is.EqualTo(HttpStatusCode.NoContent), delete.Body);
            TestContext.Out.WriteLine($"frozen during cleanup: DELETE 204 after {delete.Elapsed.TotalMilliseconds:0} ms");
            Assert.That(delete.Elapsed, Is.LessThan(HangGuard), "bounded by the cleanup budget, not a hang");
        }
        finally
        {
            freezing.Thaw();
        }
        Assert.That(await app.Client.GetAsync($"/books/{id}").StatusAsync(), Is.EqualTo(404), "the committed delete stands");
    }

    /// <summary>Books on S3 behind <paramref name="freezing"/>, with a 2 s operation timeout and a 1 s unique-claim grace.</summary>
    private static Task<TestApp> StartBooksAsync(FreezingStore freezing) =>
        TestApp.StartAsync(TestStore.S3, a => a.Register<BookEndpoint>("/books"), o =>
        {
            o.S3.RequestTimeout = TimeSpan.FromSeconds(1);
            o.S3.OperationTimeout = TimeSpan.FromSeconds(2);
            o.S3.MaxRetries = 1;
            o.UniqueClaimGrace = TimeSpan.FromSeconds(1);
        }, wrapStore: inner => freezing.Wrap(inner));

    /// <summary>Freezes the real gateway (SIGSTOP) just before the first write to a matching key.</summary>
    private sealed class FreezingStore
    {
        private int? _frozen;
        public Func<string, bool>? FreezeBefore { get; set; }

        public LightS3.Storage.IObjectStore Wrap(LightS3.Storage.IObjectStore inner) => new Hook(inner, this);

        public void Thaw()
        {
            if (_frozen is { } pid) Signal("-CONT", pid);
            _frozen = null;
            FreezeBefore = null;
        }

        private void Before(string key)
        {
            if (FreezeBefore?.Invoke(key) != true || _frozen is not null) return;
            _frozen = S3TestServer.GatewayPid;
            Signal("-STOP", _frozen.Value);
        }

        private sealed class Hook(LightS3.Storage.IObjectStore inner, FreezingStore owner) : LightS3.Storage.IObjectStore
        {
            public string Kind => inner.Kind;
            public bool AtomicConditionalDelete => inner.AtomicConditionalDelete;
            public Task<LightS3.Storage.StoredObject?> GetAsync(string key, CancellationToken ct = default)
            {
                owner.Before(key);
                return inner.GetAsync(key, ct);
            }
            public Task<string> PutAsync(string key, ReadOnlyMemory<byte> content, LightS3.Storage.WriteCondition condition, CancellationToken ct = default)
            {
                owner.Before(key);
                return inner.PutAsync(key, content, condition, ct);
            }
            public Task<bool> DeleteAsync(string key, string? ifMatch = null, CancellationToken ct = default) => inner.DeleteAsync(key, ifMatch, ct);
            public Task<bool> DeleteObservedAsync(string key, string observedETag, CancellationToken ct = default) => inner.DeleteObservedAsync(key, observedETag, ct);
            public Task<LightS3.Storage.ObjectListing> ListAsync(string prefix, string? startAfter, int maxKeys, CancellationToken ct = default) =>
                inner.ListAsync(prefix, startAfter, maxKeys, ct);
        }
    }
}
