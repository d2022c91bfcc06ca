using System.Net;
using System.Net.Http.Json;
using LightS3.Storage;
using LightS3.Tests.Support;

namespace LightS3.Tests.Pipeline;

/// <summary>Response caching on the in-process cache and on a real redis-server.</summary>
[TestFixture("memory")]
[TestFixture("redis", Category = External.Category)]
public sealed class ResponseCacheTests(string cache)
{
    private async Task<TestApp> Start(Action<LightS3App> register, string? location = null) =>
        await TestApp.StartAsync(TestStore.Memory, register, o =>
        {
            o.RedisUrl = cache == "redis" ? RedisServer.SharedUrl : null;
            o.CacheTimeout = TimeSpan.FromSeconds(5); // a hang guard: a loaded machine must not turn the expected HIT into a MISS
        }, location: location);

    private static string? XCache(HttpResponseMessage r) => r.Headers.TryGetValues("X-Cache", out var v) ? v.Single() : null;

    // the shared Redis outlives each app: every test gets routes of its own
    private string _r = "";

    [SetUp]
    public void NewRoute() => _r = "/r" + Guid.NewGuid().ToString("N")[..12];

    [Test]
    public async Task A_second_get_is_a_hit_that_makes_no_store_request()
    {
        // a route of its own: the shared Redis outlives this app
        var route = $"/items{Guid.NewGuid():N}"[..20];
        await using var app = await Start(a => a.Register<CachedItem>(route));
        var id = (await app.CreateAsync(route, new { name = "a" }))["id"]!.GetValue<string>();
        foreach (var path in new[] { route, $"{route}/{id}", $"{route}?name=a" })
        {
            var first = await app.Client.GetAsync(path);
            var before = app.Counter.Snapshot();
            var second = await app.Client.GetAsync(path);
            Assert.That((XCache(first), XCache(second)), Is.EqualTo(("MISS", "HIT")), path);
            Assert.That(app.Counter.Snapshot().Minus(before).Total, Is.Zero, "a hit never touches storage");
            Assert.That(await second.Content.ReadAsStringAsync(), Is.EqualTo(await first.Content.ReadAsStringAsync()));
            Assert.That(second.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
        }
    }

    [Test]
    public async Task Conditional_get_works_on_a_cached_response()
    {
        await using var app = await Start(a => a.Register<CachedItem>(_r));
        var id = (await app.CreateAsync(_r, new { name = "a" }))["id"]!.GetValue<string>();
        var miss = await app.Client.GetAsync($"{_r}/{id}");
        var hit = await app.SendAsync(HttpMethod.Get, $"{_r}/{id}", adjust: r => r.Headers.IfNoneMatch.Add(miss.Headers.ETag!));
        Assert.That((hit.StatusCode, XCache(hit)), Is.EqualTo((HttpStatusCode.NotModified, "HIT")));
        Assert.That(hit.Headers.ETag, Is.EqualTo(miss.Headers.ETag));
    }

    [Test]
    public async Task Every_write_verb_invalidates_lists_and_records()
    {
        await using var app = await Start(a => a.Register<CachedItem>(_r));
        var id = (await app.CreateAsync(_r, new { name = "v1" }))["id"]!.GetValue<string>();
        async Task Warm()
        {
            await app.Client.GetAsync(_r);
            await app.Client.GetAsync($"{_r}/{id}");
            Assert.That(XCache(await app.Client.GetAsync(_r)), Is.EqualTo("HIT"));
        }

        await Warm();
        await app.CreateAsync(_r, new { name = "second" });
        var afterPost = await app.Client.GetAsync(_r);
        Assert.That((XCache(afterPost), (await afterPost.JsonAsync())["results"]!.AsArray().Count), Is.EqualTo(("MISS", 2)));

        await Warm();
        await app.SendAsync(HttpMethod.Patch, $"{_r}/{id}", new { name = "v2", version = 1 });
        var afterPatch = await app.Client.GetAsync($"{_r}/{id}");
        Assert.That((XCache(afterPatch), (await afterPatch.JsonAsync())["name"]!.GetValue<string>()), Is.EqualTo(("MISS", "v2")));

        await Warm();
        await app.SendAsync(HttpMethod.Put, $"{_r}/{id}", new { name = "v3", version = 2 });
        Assert.That((await (await app.Client.GetAsync($"{_r}/{id}")).JsonAsync())["name"]!.GetValue<string>(), Is.EqualTo("v3"));

        await Warm();
        await app.SendAsync(HttpMethod.Delete, $"{_r}/{id}");
        var afterDelete = await app.Client.GetAsync($"{_r}/{id}");
        Assert.That(afterDelete.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Entries_expire_after_their_ttl()
    {
        await using var app = await Start(a => a.Register<ShortCachedItem>(_r));
        await app.Client.GetAsync(_r);
        Assert.That(XCache(await app.Client.GetAsync(_r)), Is.EqualTo("HIT"));
        await Task.Delay(1300);
        Assert.That(XCache(await app.Client.GetAsync(_r)), Is.EqualTo("MISS"));
    }

    [Test]
    public async Task One_callers_scoped_list_is_never_served_to_another()
    {
        await using var app = await Start(a => a.Register<CachedInbox>(_r));
        await app.CreateAsync(_r, new { owner = "alice", text = "for alice" });
        await app.CreateAsync(_r, new { owner = "bob", text = "for bob" });
        async Task<List<string>> Texts(string user)
        {
            var r = await app.SendAsync(HttpMethod.Get, _r, adjust: m => m.Headers.Add("X-User", user));
            return (await r.JsonAsync())["results"]!.AsArray().Select(x => x!["text"]!.GetValue<string>()).ToList();
        }
        Assert.That(await Texts("alice"), Is.EqualTo(new[] { "for alice" }));
        Assert.That(await Texts("alice"), Is.EqualTo(new[] { "for alice" }), "cached for alice");
        Assert.That(await Texts("bob"), Is.EqualTo(new[] { "for bob" }), "bob gets his own entry");
    }

    [Test]
    public async Task Scoping_the_cache_cannot_see_is_not_cached()
    {
        await using var app = await Start(a => a.Register<UndeclaredInbox>(_r));
        await app.CreateAsync(_r, new { owner = "alice", text = "for alice" });
        await app.CreateAsync(_r, new { owner = "bob", text = "for bob" });
        var alice = await app.SendAsync(HttpMethod.Get, _r, adjust: m => m.Headers.Add("X-User", "alice"));
        var bob = await app.SendAsync(HttpMethod.Get, _r, adjust: m => m.Headers.Add("X-User", "bob"));
        Assert.That((XCache(alice), XCache(bob)), Is.EqualTo(("BYPASS", "BYPASS")));
        Assert.That((await bob.JsonAsync())["results"]![0]!["text"]!.GetValue<string>(), Is.EqualTo("for bob"));
    }

    [Test]
    public async Task Authenticated_callers_get_entries_of_their_own()
    {
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<CachedPrivateFeed>(_r), o =>
        {
            o.RedisUrl = cache == "redis" ? RedisServer.SharedUrl : null;
            o.CacheTimeout = TimeSpan.FromSeconds(5); // a hang guard: a loaded machine must not turn the expected HIT into a MISS
            o.Jwt.Secret = Tokens.Secret;
        });
        async Task<HttpResponseMessage> As(HttpMethod method, string user, object? body = null) =>
            await app.SendAsync(method, _r, body, m => m.Headers.Authorization = new("Bearer", Tokens.Create(user, issuer: "", audience: "")));
        await As(HttpMethod.Post, "alice", new { owner = "alice", text = "alice's" });
        await As(HttpMethod.Post, "bob", new { owner = "bob", text = "bob's" });
        await As(HttpMethod.Get, "alice");
        var aliceAgain = await As(HttpMethod.Get, "alice");
        var bob = await As(HttpMethod.Get, "bob");
        Assert.That((XCache(aliceAgain), XCache(bob)), Is.EqualTo(("HIT", "MISS")));
        Assert.That((await bob.JsonAsync())["results"]!.AsArray().Select(r => r!["text"]!.GetValue<string>()), Is.EqualTo(new[] { "bob's" }));
        Assert.That(await app.Client.GetAsync(_r).StatusAsync(), Is.EqualTo(401), "the cache never bypasses authentication");
    }
}

/// <summary>Behaviour only a shared Redis can show.</summary>
[Category(External.Category)]
public sealed class RedisCacheTests
{
    private static string? XCache(HttpResponseMessage r) => r.Headers.TryGetValues("X-Cache", out var v) ? v.Single() : null;

    [Test]
    public async Task A_write_on_one_instance_invalidates_the_other()
    {
        var dir = TestStores.NewDirectory();
        var route = $"/shared{Guid.NewGuid():N}"[..16];
        try
        {
            void Options(LightS3Options o)
            {
                o.RedisUrl = RedisServer.SharedUrl;
                o.CacheTimeout = TimeSpan.FromSeconds(5); // a hang guard: a loaded machine must not turn the expected HIT into a MISS
            }
            await using var a = await TestApp.StartAsync(TestStore.File, x => x.Register<CachedItem>(route), Options, location: dir);
            await using var b = await TestApp.StartAsync(TestStore.File, x => x.Register<CachedItem>(route), Options, location: dir);
            await a.CreateAsync(route, new { name = "one" });
            await a.Client.GetAsync(route);
            Assert.That(XCache(await b.Client.GetAsync(route)), Is.EqualTo("HIT"), "B is served what A cached");
            await b.CreateAsync(route, new { name = "two" });
            var fresh = await a.Client.GetAsync(route);
            Assert.That((XCache(fresh), (await fresh.JsonAsync())["results"]!.AsArray().Count), Is.EqualTo(("MISS", 2)));
        }
        finally
        {
            TestStores.TryDelete(dir);
        }
    }

    [Test]
    public async Task A_slow_redis_does_not_hold_requests_back()
    {
        using var redis = RedisServer.StartPrivate();
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<CachedItem>("/items"), o =>
        {
            o.RedisUrl = redis.Url;
            o.CacheTimeout = TimeSpan.FromMilliseconds(100);
        });
        await app.CreateAsync("/items", new { name = "a" });
        await app.Client.GetAsync("/items");
        // Redis stops answering for 3 s; requests must be served meanwhile, uncached
        using var sleep = System.Diagnostics.Process.Start("redis-cli", ["-p", redis.Port.ToString(), "DEBUG", "SLEEP", "3"])!;
        await Task.Delay(200);
        var during = await app.Client.GetAsync("/items");
        var stillSleeping = !sleep.HasExited;
        Assert.That((int)during.StatusCode, Is.EqualTo(200));
        Assert.That(XCache(during), Is.EqualTo("MISS"));
        Assert.That(stillSleeping, Is.True, "the response came while Redis was still asleep: it did not wait for Redis");
        await sleep.WaitForExitAsync();
    }

    [Test]
    public async Task Killing_redis_mid_test_fails_no_request_and_caching_resumes_when_it_returns()
    {
        using var redis = RedisServer.StartPrivate();
        var logs = new CapturingLoggerProvider();
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<CachedItem>("/items"), o =>
        {
            o.RedisUrl = redis.Url;
            o.CacheTimeout = TimeSpan.FromMilliseconds(100);
        }, configureServices: s => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(s, logs));
        await app.CreateAsync("/items", new { name = "a" });
        // caching works before the outage (a lookup over the 100 ms timeout on a loaded machine is a miss: ask again)
        var hit = false;
        for (var i = 0; i < 100 && !hit; i++) hit = XCache(await app.Client.GetAsync("/items")) == "HIT";
        Assert.That(hit, Is.True, "a repeated GET is served from Redis");

        // a lookup over the timeout before the kill may have warned already: count this outage's warnings only
        int Warnings() => logs.Entries.Count(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("Redis cache unavailable"));
        var before = Warnings();
        redis.Kill();
        var statuses = new List<int>();
        for (var i = 0; i < 20; i++) statuses.Add(await app.Client.GetAsync("/items").StatusAsync());
        Assert.That(await app.PostAsync("/items", new { name = "during outage" }).StatusAsync(), Is.EqualTo(201));
        Assert.That(statuses, Has.All.EqualTo(200), "no failed request while Redis is down");
        Assert.That(Warnings() - before, Is.EqualTo(1), "one warning per outage, not per request");

        redis.Start();
        var resumed = false;
        for (var i = 0; i < 100 && !resumed; i++)
        {
            var r = await app.Client.GetAsync("/items");
            Assert.That((int)r.StatusCode, Is.EqualTo(200));
            resumed = XCache(r) == "HIT";
            if (!resumed) await Task.Delay(100);
        }
        Assert.That(resumed, Is.True, "caching resumes by itself");
        var latest = await (await app.Client.GetAsync("/items")).JsonAsync();
        Assert.That(latest["results"]!.AsArray(), Has.Count.EqualTo(2), "the write made during the outage is not hidden by a stale entry");
    }
}
