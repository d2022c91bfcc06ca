using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LightS3.Changes;
using LightS3.Hosting;
using LightS3.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Tests.Changes;

/// <summary>
/// GET {route}/_events across two app instances on one RGW bucket: Redis pub/sub as the fast path, the feed when Redis
/// is down, resumption with Last-Event-ID, permissions and filters per subscriber.
/// </summary>
[Category(External.Category)]
public sealed class RealtimeEventsTests
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    /// <summary>The documented bound without Redis (docs/realtime.md): settle + poll interval + one feed read, with slack for a loaded machine.</summary>
    private static readonly TimeSpan FeedBound = new ChangeFeedOptions().Settle + new ChangeFeedOptions().PollInterval + TimeSpan.FromSeconds(1.5);

    private static async Task<(TestApp A, TestApp B)> StartPairAsync(string? redisUrl, Action<ChangeFeedOptions>? changes = null)
    {
        void Configure(LightS3Options o)
        {
            o.RedisUrl = redisUrl;
            changes?.Invoke(o.Changes);
        }
        var a = await ChangeApps.StartAsync(TestStore.S3, Configure);
        var b = await ChangeApps.StartAsync(TestStore.S3, Configure, location: a.Location);
        if (redisUrl is not null)
            foreach (var app in new[] { a, b }) await WaitForAsync(() => Hub(app).RedisConnected, TimeSpan.FromSeconds(10), "Redis subscription");
        return (a, b);
    }

    private static ChangeHub Hub(TestApp app) => app.App.Services.GetRequiredService<ChangeHub>();

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!condition())
        {
            if (DateTimeOffset.UtcNow > deadline) Assert.Fail($"{what}: not within {timeout}");
            await Task.Delay(50);
        }
    }

    private static string IdOf(JsonObject o) => o["id"]!.GetValue<string>();

    /// <summary>Creates a task on <paramref name="app"/> and returns (its id, the time the write was acknowledged).</summary>
    private static async Task<string> CreateAsync(TestApp app, object body) => IdOf(await app.CreateAsync("/tasks", body));

    private static async Task<TimeSpan> LatencyAsync(TestApp writer, EventStreamClient subscriber, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var id = await CreateAsync(writer, new { title = "ping" });
        var received = await subscriber.NextAsync(timeout);
        Assert.That(received, Is.Not.Null, $"no event within {timeout}");
        Assert.That(IdOf(received!.Data), Is.EqualTo(id));
        return clock.Elapsed;
    }

    [Test]
    public async Task A_subscriber_on_B_receives_a_write_made_on_A_within_a_second_with_Redis()
    {
        var (a, b) = await StartPairAsync(RedisServer.SharedUrl);
        await using var _a = a;
        await using var _b = b;
        await using var subscriber = await EventStreamClient.OpenAsync(b.Client, "/tasks/_events");
        await LatencyAsync(a, subscriber, TimeSpan.FromSeconds(10)); // warm-up: the first request of a fresh app pays for JIT and connections
        var latencies = new List<TimeSpan>();
        for (var i = 0; i < 5; i++) latencies.Add(await LatencyAsync(a, subscriber, TimeSpan.FromSeconds(10)));
        TestContext.Out.WriteLine($"A→B with Redis: {string.Join(", ", latencies.Select(l => $"{l.TotalMilliseconds:0} ms"))} (from the write request to the event)");
        Assert.That(latencies, Is.All.LessThan(OneSecond), "Redis is the fast path: well under the settle delay the feed needs");
    }

    [Test]
    public async Task With_Redis_killed_a_subscriber_on_B_still_receives_writes_from_A_within_the_documented_bound()
    {
        using var redis = RedisServer.StartPrivate();
        var (a, b) = await StartPairAsync(redis.Url);
        await using var _a = a;
        await using var _b = b;
        await using var subscriber = await EventStreamClient.OpenAsync(b.Client, "/tasks/_events");
        Assert.That(await LatencyAsync(a, subscriber, TimeSpan.FromSeconds(10)), Is.LessThan(OneSecond), "fast while Redis is up");

        redis.Kill();
        await WaitForAsync(() => !Hub(b).RedisConnected, TimeSpan.FromSeconds(10), "Redis loss noticed");
        var latencies = new List<TimeSpan>();
        for (var i = 0; i < 3; i++) latencies.Add(await LatencyAsync(a, subscriber, FeedBound + TimeSpan.FromSeconds(5)));
        TestContext.Out.WriteLine($"A→B with Redis killed: {string.Join(", ", latencies.Select(l => $"{l.TotalMilliseconds:0} ms"))} (bound {FeedBound.TotalMilliseconds:0} ms)");
        Assert.That(latencies, Is.All.LessThan(FeedBound));
    }

    [Test]
    public async Task A_subscriber_resuming_with_Last_Event_ID_after_missing_100_writes_gets_all_100_in_order_once()
    {
        var (a, b) = await StartPairAsync(RedisServer.SharedUrl);
        await using var _a = a;
        await using var _b = b;
        string lastId;
        await using (var first = await EventStreamClient.OpenAsync(b.Client, "/tasks/_events"))
        {
            var seen = await CreateAsync(a, new { title = "seen" });
            var e = await first.NextAsync(TimeSpan.FromSeconds(10));
            Assert.That(e is not null && IdOf(e.Data) == seen);
            lastId = e!.Id!;
        }
        var missed = new List<string>();
        for (var i = 0; i < 100; i++) missed.Add(await CreateAsync(a, new { title = $"missed {i}" }));

        await using var resumed = await EventStreamClient.OpenAsync(b.Client, "/tasks/_events", lastEventId: lastId);
        var events = await resumed.TakeAsync(100, TimeSpan.FromSeconds(30));
        Assert.That(events.Select(e => IdOf(e.Data)), Is.EqualTo(missed), "all 100, in order");
        Assert.That(events.Select(e => e.Id).Distinct().Count(), Is.EqualTo(100));
        Assert.That(await resumed.NextAsync(new ChangeFeedOptions().Settle + OneSecond), Is.Null, "and nothing twice");
    }

    [Test]
    public async Task A_subscriber_without_permission_for_a_record_receives_nothing_about_it()
    {
        var (a, b) = await StartPairAsync(RedisServer.SharedUrl, ChangeApps.Quick);
        await using var _a = a;
        await using var _b = b;
        var alice = Tokens.Create("alice");
        var bob = Tokens.Create("bob");
        await using var bobs = await EventStreamClient.OpenAsync(b.Client, "/letters/_events", token: bob);
        await using var alices = await EventStreamClient.OpenAsync(b.Client, "/letters/_events", token: alice);

        async Task<string> WriteAsync(string token, string text)
        {
            var response = await a.SendAsync(HttpMethod.Post, "/letters", new { text }, r => r.Headers.Authorization = new("Bearer", token));
            Assert.That((int)response.StatusCode, Is.EqualTo(201));
            return IdOf(await response.JsonAsync());
        }
        var secret = await WriteAsync(alice, "for alice only");
        Assert.That(IdOf((await alices.NextAsync(TimeSpan.FromSeconds(10)))!.Data), Is.EqualTo(secret), "the owner gets it");
        Assert.That(await a.SendAsync(HttpMethod.Patch, $"/letters/{secret}", new { text = "still hers", version = 1 }, r => r.Headers.Authorization = new("Bearer", alice)).StatusAsync(), Is.EqualTo(200));
        var own = await WriteAsync(bob, "bob's");
        var first = await bobs.NextAsync(TimeSpan.FromSeconds(10));
        Assert.That(first is not null && IdOf(first.Data) == own, "bob's first event is his own letter: nothing about alice's");
        Assert.That(first!.Data["record"]!["text"]!.GetValue<string>(), Is.EqualTo("bob's"));
        Assert.That(await bobs.NextAsync(TimeSpan.FromSeconds(2)), Is.Null, "not even after the feed was read");
    }

    [Test]
    public async Task A_filtered_subscriber_receives_only_matching_changes()
    {
        var (a, b) = await StartPairAsync(RedisServer.SharedUrl, ChangeApps.Quick);
        await using var _a = a;
        await using var _b = b;
        await using var open = await EventStreamClient.OpenAsync(b.Client, "/tasks/_events?status=open");
        await CreateAsync(a, new { title = "shut", status = "closed" });
        var wanted = await CreateAsync(a, new { title = "todo", status = "open" });
        await CreateAsync(a, new { title = "shut again", status = "closed" });
        var first = await open.NextAsync(TimeSpan.FromSeconds(10));
        Assert.That(first is not null && IdOf(first.Data) == wanted);
        Assert.That(first!.Data["record"]!["status"]!.GetValue<string>(), Is.EqualTo("open"));
        Assert.That(await open.NextAsync(TimeSpan.FromSeconds(2)), Is.Null, "closed tasks are not sent");
    }

    [Test]
    public async Task An_unknown_filter_on_the_event_stream_is_a_400_problem()
    {
        await using var app = await ChangeApps.StartAsync(TestStore.Memory);
        using var response = await EventStreamClient.SendAsync(app.Client, "/tasks/_events?colour=red");
        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task A_thousand_concurrent_writes_across_two_instances_are_each_in_the_feed_exactly_once()
    {
        var (a, b) = await StartPairAsync(RedisServer.SharedUrl);
        await using var _a = a;
        await using var _b = b;
        var acknowledged = new ConcurrentBag<string>();
        var failed = 0;
        var racers = new List<string>();
        for (var i = 0; i < 20; i++) racers.Add(await CreateAsync(a, new { title = $"racer {i}" }));
        foreach (var id in racers) acknowledged.Add($"{id}@1");

        async Task WriteAsync(TestApp app, int i)
        {
            HttpResponseMessage response;
            if (i % 10 == 0)
            {
                // 100 updates race, five per record and version, across both instances: exactly one of each five wins
                var id = racers[i / 10 % 20];
                response = await app.SendAsync(HttpMethod.Patch, $"/tasks/{id}", new { title = $"won by {i}", version = 1 });
                if ((int)response.StatusCode == 200) acknowledged.Add($"{id}@2");
            }
            else
            {
                response = await app.PostAsync("/tasks", new { title = $"t{i}" });
                if ((int)response.StatusCode == 201) acknowledged.Add($"{IdOf((await response.Content.ReadFromJsonAsync<JsonObject>())!)}@1");
            }
            if (!response.IsSuccessStatusCode) Interlocked.Increment(ref failed);
        }
        await Parallel.ForEachAsync(Enumerable.Range(0, 1000), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) => await WriteAsync(i % 2 == 0 ? a : b, i));
        TestContext.Out.WriteLine($"{acknowledged.Count} acknowledged writes, {failed} refused (conflicts of the racing updates, or 503)");
        Assert.That(acknowledged.Count(k => k.EndsWith("@2", StringComparison.Ordinal)), Is.EqualTo(20), "one winner per raced record");

        await Task.Delay(new ChangeFeedOptions().Settle + OneSecond);
        var (changes, _) = await ChangeApps.ReadAllAsync(b.Client, "/tasks");
        var listed = changes.Select(ChangeApps.Key).ToList();
        Assert.That(listed, Has.Count.EqualTo(listed.Distinct().Count()), "no write twice");
        Assert.That(listed, Is.EquivalentTo(acknowledged), "every acknowledged write, and nothing else");
    }

    [Test]
    public async Task Streams_get_heartbeats_and_the_app_closes_them_when_it_stops()
    {
        var app = await ChangeApps.StartAsync(TestStore.Memory, o => o.Changes.HeartbeatInterval = TimeSpan.FromMilliseconds(200));
        try
        {
            await using var stream = await EventStreamClient.OpenAsync(app.Client, "/tasks/_events");
            await Task.Delay(OneSecond);
            Assert.That(stream.Heartbeats, Is.GreaterThanOrEqualTo(2));
            var stop = app.App.StopAsync();
            Assert.That(await Task.WhenAny(stream.Ended, Task.Delay(TimeSpan.FromSeconds(10))), Is.SameAs(stream.Ended), "the stream ends on shutdown");
            await stop.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Test]
    public async Task A_client_gets_at_most_the_configured_number_of_streams()
    {
        await using var app = await ChangeApps.StartAsync(TestStore.Memory, o => o.Changes.MaxConnectionsPerClient = 2);
        var token = Tokens.Create("carol");
        await using var one = await EventStreamClient.OpenAsync(app.Client, "/tasks/_events", token: token);
        var two = await EventStreamClient.OpenAsync(app.Client, "/tasks/_events", token: token);
        using (var third = await EventStreamClient.SendAsync(app.Client, "/tasks/_events", token: token))
        {
            Assert.That((int)third.StatusCode, Is.EqualTo(429));
            Assert.That((await third.JsonAsync())["detail"]!.GetValue<string>(), Does.Contain("at most 2"));
        }
        await using (var other = await EventStreamClient.OpenAsync(app.Client, "/tasks/_events", token: Tokens.Create("dave"))) { }
        await two.DisposeAsync();
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            using var again = await EventStreamClient.SendAsync(app.Client, "/tasks/_events", token: token);
            if ((int)again.StatusCode == 200) break;
            Assert.That(DateTimeOffset.UtcNow, Is.LessThan(deadline), "a closed stream frees its slot");
            await Task.Delay(100);
        }
    }
}
