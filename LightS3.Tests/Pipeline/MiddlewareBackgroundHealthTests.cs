using System.Net;
using LightS3.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Tests.Pipeline;

public sealed class MiddlewareTests
{
    [Test]
    public async Task App_middleware_runs_in_order_before_and_reversed_after_around_endpoint_middleware()
    {
        var log = new EventLog();
        await using var app = await TestApp.StartAsync(TestStore.Memory, a =>
        {
            a.UseMiddleware<OuterAsync>();
            a.UseMiddleware<InnerSync>();
            a.Register<GuardedItem>("/guarded");
        }, configureServices: s => s.AddSingleton(log));
        var response = await app.Client.GetAsync("/guarded");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(log.Events, Is.EqualTo(new[] { "outer:before", "inner:before", "gate:before", "gate:after", "inner:after", "outer:after" }));
        Assert.That(response.Headers.GetValues("X-Outer").Single(), Is.EqualTo("yes"), "post-phase can change the response");
    }

    [Test]
    public async Task Middleware_can_short_circuit_before_the_endpoint()
    {
        var log = new EventLog();
        await using var app = await TestApp.StartAsync(TestStore.Memory, a =>
        {
            a.UseMiddleware<OuterAsync>();
            a.Register<GuardedItem>("/guarded");
        }, configureServices: s => s.AddSingleton(log));
        var response = await app.SendAsync(HttpMethod.Post, "/guarded", new { name = "x" }, r => r.Headers.Add("X-Block", "1"));
        Assert.That(response.StatusCode, Is.EqualTo((HttpStatusCode)429));
        Assert.That(log.Events, Is.EqualTo(new[] { "outer:before", "gate:blocked", "outer:after" }));
        Assert.That((await (await app.Client.GetAsync("/guarded")).JsonAsync())["results"]!.AsArray(), Is.Empty, "the endpoint never ran: nothing was created");
    }
}

public sealed class BackgroundTaskTests
{
    [Test]
    public async Task A_background_task_runs_after_the_response_is_sent()
    {
        NotifyingItem.Done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<NotifyingItem>("/notify"));
        // the task waits for our signal, so the response can only arrive if it does not wait for the task
        var response = await app.PostAsync("/notify", new { name = "hello" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(NotifyingItem.Done.Task.IsCompleted, Is.False);
        NotifyingItem.Release.Release();
        Assert.That(await NotifyingItem.Done.Task.WaitAsync(TimeSpan.FromSeconds(10)), Is.EqualTo("hello"));
    }

    [Test]
    public async Task A_failing_background_task_is_logged_and_the_app_keeps_serving()
    {
        var logs = new CapturingLoggerProvider();
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<NotifyingItem>("/notify"),
            configureServices: s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs));
        Assert.That(await app.PostAsync("/notify", new { name = "explode" }).StatusAsync(), Is.EqualTo(201));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!logs.Entries.Any(e => e.Message == "background task failed") && DateTime.UtcNow < deadline) await Task.Delay(50);
        var entry = logs.Entries.Single(e => e.Message == "background task failed");
        Assert.That(entry.Error!.Message, Is.EqualTo("boom in background"));
        Assert.That(await app.Client.GetAsync("/notify").StatusAsync(), Is.EqualTo(200));
    }
}

public sealed class BackgroundShutdownTests
{
    [Test]
    public async Task Shutdown_lets_running_tasks_finish_then_cancels_what_is_left()
    {
        var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<ShutdownItem>("/shutdown"),
            o => o.BackgroundShutdownTimeout = TimeSpan.FromMilliseconds(500));
        Assert.That(await app.PostAsync("/shutdown", new { name = "x" }).StatusAsync(), Is.EqualTo(201));
        await Task.Delay(200); // both tasks are running
        await app.DisposeAsync();
        Assert.That(ShutdownItem.Outcomes, Is.EquivalentTo(new[] { "quick finished", "endless cancelled at shutdown" }));
    }
}

[Category(External.Category)]
public sealed class HealthTests
{
    [Test]
    public async Task Liveness_and_readiness_report_json_detail()
    {
        await using var app = await TestApp.StartAsync(TestStore.S3, a => a.Register<CachedItem>("/items"), o => o.RedisUrl = RedisServer.SharedUrl);
        var live = await app.Client.GetAsync("/healthz");
        Assert.That((live.StatusCode, (await live.JsonAsync())["status"]!.GetValue<string>()), Is.EqualTo((HttpStatusCode.OK, "Healthy")));
        var ready = await (await app.Client.GetAsync("/readyz")).JsonAsync();
        Assert.That(ready["checks"]!["storage"]!["status"]!.GetValue<string>(), Is.EqualTo("Healthy"));
        Assert.That(ready["checks"]!["cache"]!["description"]!.GetValue<string>(), Is.EqualTo("redis cache reachable"));
    }

    [Test]
    public async Task Readiness_is_503_when_storage_is_down_and_degraded_when_redis_is()
    {
        await using var app = await TestApp.StartAsync(TestStore.S3, a => a.Register<CachedItem>("/items"), o =>
        {
            o.S3.ServiceUrl = "http://127.0.0.1:9"; // nothing listens on the discard port
            o.S3.OperationTimeout = TimeSpan.FromSeconds(2);
            o.S3.MaxRetries = 0;
            o.RedisUrl = "redis://127.0.0.1:9/0";
        });
        var ready = await app.Client.GetAsync("/readyz");
        var body = await ready.JsonAsync();
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(body["checks"]!["storage"]!["status"]!.GetValue<string>(), Is.EqualTo("Unhealthy"));
        Assert.That(body["checks"]!["cache"]!["status"]!.GetValue<string>(), Is.EqualTo("Degraded"));
        Assert.That(await app.Client.GetAsync("/healthz").StatusAsync(), Is.EqualTo(200), "liveness does not depend on dependencies");
        Assert.That(await app.Client.GetAsync("/items").StatusAsync(), Is.EqualTo(503), "and requests say why, quickly");
    }
}
