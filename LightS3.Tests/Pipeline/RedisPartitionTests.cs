using System.Diagnostics;
using LightS3.Hosting;
using LightS3.Tests.Support;

namespace LightS3.Tests.Pipeline;

/// <summary>
/// A writer instance that cannot reach Redis while another instance can (a TCP proxy between the writer and the
/// shared redis-server is cut and restored). The reader may serve the old entry while the writer is cut off (bounded
/// by the TTL, as docs/caching.md says), but once the writer reaches Redis again its pending invalidation must land
/// by itself — with no request to the writer — within the documented bound, even across a restart of the writer.
/// </summary>
[Category(External.Category)]
public sealed class RedisPartitionTests
{
    // docs/caching.md: delivered within ConnectTimeout (2 s) + 2 × CacheInvalidationRetry (1 s) + CacheTimeout of the
    // writer reaching Redis again; the deadline is loose on purpose (a shared 2-core machine), and far below the TTL (60 s)
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);
    private string _dir = "";
    private string _journal = "";
    private string _route = "";

    [SetUp]
    public void SetUp()
    {
        _dir = TestStores.NewDirectory();
        _journal = Path.Combine(_dir, "journal", "writer.journal");
        _route = $"/part{Guid.NewGuid():N}"[..17];
    }

    [TearDown]
    public void TearDown() => TestStores.TryDelete(_dir);

    private static int SharedRedisPort => new Uri(RedisServer.SharedUrl).Port;

    private static string? XCache(HttpResponseMessage r) => r.Headers.TryGetValues("X-Cache", out var v) ? v.Single() : null;

    // both instances share the embedded store's directory, so they see the same records
    private Task<TestApp> StartWriter(TcpProxy proxy, CapturingLoggerProvider? logs = null) => TestApp.StartAsync(TestStore.File, a => a.Register<CachedItem>(_route), o =>
    {
        o.RedisUrl = $"redis://127.0.0.1:{proxy.Port}/0";
        o.CacheTimeout = TimeSpan.FromMilliseconds(100);
        o.CacheJournalPath = _journal;
    }, location: _dir, configureServices: s =>
    {
        if (logs is not null) Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(s, logs);
    });

    // the reader journals elsewhere: it must not be the one delivering the writer's invalidation
    private Task<TestApp> StartReader() => TestApp.StartAsync(TestStore.File, a => a.Register<CachedItem>(_route), o =>
    {
        o.RedisUrl = RedisServer.SharedUrl;
        o.CacheTimeout = TimeSpan.FromSeconds(5); // a hang guard: the reader's Redis is never cut off, and a loaded machine must not turn its HITs into MISSes
        o.CacheJournalPath = Path.Combine(_dir, "journal", "reader.journal");
    }, location: _dir);

    private static async Task<(string? XCache, string Name)> Read(TestApp app, string path)
    {
        var r = await app.Client.GetAsync(path);
        Assert.That((int)r.StatusCode, Is.EqualTo(200));
        return (XCache(r), (await r.JsonAsync())["name"]!.GetValue<string>());
    }

    /// <summary>Warms the reader's cache with v1, cuts the writer off and updates the record to v2 through it.</summary>
    private async Task<string> WriteWhileCutOff(TestApp writer, TestApp reader, TcpProxy proxy)
    {
        var id = (await writer.CreateAsync(_route, new { name = "v1" }))["id"]!.GetValue<string>();
        // warm: the first read stores v1 in Redis (asked again if that store is still on its way)
        var warm = await Read(reader, $"{_route}/{id}");
        for (var i = 0; i < 50 && warm.XCache != "HIT"; i++) warm = await Read(reader, $"{_route}/{id}");
        Assert.That(warm, Is.EqualTo(("HIT", "v1")));

        proxy.Cut();
        // the cut-off writer keeps answering, uncached, without waiting for the black-holed Redis
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 10; i++) Assert.That(await Read(writer, $"{_route}/{id}"), Is.EqualTo(("MISS", "v1")));
        TestContext.Out.WriteLine($"10 writer GETs while cut off: {clock.ElapsedMilliseconds} ms");
        // waiting for the black hole would cost at least 10 × 1 s (the client's command timeout); uncached GETs take
        // milliseconds: 9 s is the widest bound that still tells the two apart, for a loaded machine's sake
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(9)), "requests do not wait for a black-holed Redis");
        var patch = await writer.SendAsync(HttpMethod.Patch, $"{_route}/{id}", new { name = "v2", version = 1 });
        Assert.That((int)patch.StatusCode, Is.EqualTo(200), "the write succeeds without Redis");
        Assert.That(File.Exists(_journal), Is.True, "the invalidation is journaled before the write is acknowledged");
        Assert.That(await Read(writer, $"{_route}/{id}"), Is.EqualTo(("MISS", "v2")), "the writer never serves its own stale entry");
        // the partition window: the reader still has the old entry, and nobody could tell it (bounded by the TTL)
        Assert.That(await Read(reader, $"{_route}/{id}"), Is.EqualTo(("HIT", "v1")));
        return id;
    }

    /// <summary>Polls the reader (only the reader) until it serves v2; returns how long that took.</summary>
    private static async Task<TimeSpan> ReaderSeesV2(TestApp reader, string path)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Deadline)
        {
            if ((await Read(reader, path)).Name == "v2") return clock.Elapsed;
            await Task.Delay(100);
        }
        Assert.Fail($"the reader still served the stale v1 {Deadline.TotalSeconds:0} s after the writer could reach Redis again");
        return clock.Elapsed;
    }

    [Test]
    public async Task A_write_made_while_cut_off_from_redis_invalidates_other_instances_once_the_link_returns_without_another_request()
    {
        await using var proxy = new TcpProxy(SharedRedisPort);
        await using var reader = await StartReader();
        var logs = new CapturingLoggerProvider();
        await using var writer = await StartWriter(proxy, logs);
        var id = await WriteWhileCutOff(writer, reader, proxy);

        // longer than a command may linger in the client (AsyncTimeout 1 s, checked on the 1 s heartbeat), so what the
        // reader sees after the link returns is the delivery loop's work, not the write's own INCR sent late
        await Task.Delay(3000);
        proxy.Restore();
        var took = await ReaderSeesV2(reader, $"{_route}/{id}");
        TestContext.Out.WriteLine($"stale for {took.TotalSeconds:0.0} s after the link returned");
        await WaitUntil(() => !File.Exists(_journal), "the delivered entry leaves the journal");
        var warnings = logs.Entries.Count(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("Redis cache unavailable"));
        Assert.That(warnings, Is.EqualTo(1), "one warning per outage, not per request or per retry");
    }

    [Test]
    public async Task A_pending_invalidation_survives_a_restart_of_the_writer()
    {
        await using var proxy = new TcpProxy(SharedRedisPort);
        await using var reader = await StartReader();
        string id;
        await using (var writer = await StartWriter(proxy))
            id = await WriteWhileCutOff(writer, reader, proxy);

        // a new writer process with the same journal, still cut off, then the link returns
        await using var restarted = await StartWriter(proxy);
        await Task.Delay(3000);
        Assert.That(await Read(reader, $"{_route}/{id}"), Is.EqualTo(("HIT", "v1")), "still cut off: nothing could be delivered yet");
        proxy.Restore();
        var took = await ReaderSeesV2(reader, $"{_route}/{id}");
        TestContext.Out.WriteLine($"stale for {took.TotalSeconds:0.0} s after the link returned to the restarted writer");
        await WaitUntil(() => !File.Exists(_journal), "the delivered entry leaves the journal");
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < Deadline) await Task.Delay(50);
        Assert.That(condition(), Is.True, what);
    }
}
