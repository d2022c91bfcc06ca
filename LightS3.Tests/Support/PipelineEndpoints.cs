using LightS3.Endpoints;
using LightS3.Pipeline;
using LightS3.Query;
using Microsoft.AspNetCore.Http;

namespace LightS3.Tests.Support;

[Cache(Ttl = 60)]
[Filtering(Fields = ["name"])]
public class CachedItem : RestEndpoint<CachedItem>
{
    public string Name { get; set; } = "";
}

[Cache(Ttl = 1)]
public class ShortCachedItem : RestEndpoint<ShortCachedItem>
{
    public string Name { get; set; } = "";
}

/// <summary>Scoped per caller by a header the cache is told about with VaryOn.</summary>
[Cache(Ttl = 60, VaryOn = ["X-User"])]
public class CachedInbox : RestEndpoint<CachedInbox>
{
    public string Owner { get; set; } = "";
    public string Text { get; set; } = "";

    public override ValueTask<RecordQuery> QuerysetAsync(RecordQuery query) =>
        ValueTask.FromResult(query.Where(Filter("owner", FilterOperator.Eq, Context.Http.Request.Headers["X-User"].ToString())));
}

/// <summary>The same scoping without VaryOn: the cache cannot see what it scopes by, so it must not cache.</summary>
[Cache(Ttl = 60)]
public class UndeclaredInbox : RestEndpoint<UndeclaredInbox>
{
    public string Owner { get; set; } = "";
    public string Text { get; set; } = "";

    public override ValueTask<RecordQuery> QuerysetAsync(RecordQuery query) =>
        ValueTask.FromResult(query.Where(Filter("owner", FilterOperator.Eq, Context.Http.Request.Headers["X-User"].ToString())));
}

/// <summary>Authenticated and cached: keys include the token's subject.</summary>
[Cache(Ttl = 60)]
[Authentication(Permission = typeof(IsAuthenticated))]
public class CachedPrivateFeed : RestEndpoint<CachedPrivateFeed>
{
    public string Owner { get; set; } = "";
    public string Text { get; set; } = "";

    public override ValueTask<RecordQuery> QuerysetAsync(RecordQuery query) =>
        ValueTask.FromResult(query.Where(Filter("owner", FilterOperator.Eq, Context.User.Identity!.Name)));
}

/// <summary>Records middleware events in order.</summary>
public sealed class EventLog
{
    public List<string> Events { get; } = [];
}

public sealed class OuterAsync(EventLog log) : Middleware
{
    public override async ValueTask<IResult?> ProcessAsync(HttpContext context, IResult? response)
    {
        await Task.Yield();
        log.Events.Add(response is null ? "outer:before" : "outer:after");
        if (response is not null) context.Response.Headers["X-Outer"] = "yes";
        return response;
    }
}

public sealed class InnerSync(EventLog log) : Middleware
{
    public override IResult? Process(HttpContext context, IResult? response)
    {
        log.Events.Add(response is null ? "inner:before" : "inner:after");
        return response;
    }
}

/// <summary>Short-circuits requests carrying X-Block.</summary>
public sealed class Gate(EventLog log) : Middleware
{
    public override IResult? Process(HttpContext context, IResult? response)
    {
        if (response is null && context.Request.Headers.ContainsKey("X-Block"))
        {
            log.Events.Add("gate:blocked");
            return Results.Json(new { detail = "blocked by middleware" }, statusCode: 429);
        }
        log.Events.Add(response is null ? "gate:before" : "gate:after");
        return response;
    }
}

[Middleware(typeof(Gate))]
public class GuardedItem : RestEndpoint<GuardedItem>
{
    public string Name { get; set; } = "";
}

/// <summary>Schedules background work on create: waits for the test's signal, or fails when asked to.</summary>
public class NotifyingItem : RestEndpoint<NotifyingItem>
{
    public static readonly SemaphoreSlim Release = new(0);
    public static TaskCompletionSource<string> Done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name { get; set; } = "";

    public override async Task<Record> CreateAsync(System.Text.Json.Nodes.JsonObject input)
    {
        var record = await base.CreateAsync(input);
        var name = record.Data["name"]!.GetValue<string>();
        if (name == "explode") Context.Background(_ => throw new InvalidOperationException("boom in background"));
        else Context.Background(async ct =>
        {
            await Release.WaitAsync(ct);
            Done.TrySetResult(name);
        });
        return record;
    }
}

/// <summary>Schedules one quick and one never-ending background task, recording how each ended.</summary>
public class ShutdownItem : RestEndpoint<ShutdownItem>
{
    public static readonly System.Collections.Concurrent.ConcurrentQueue<string> Outcomes = new();

    public string Name { get; set; } = "";

    public override async Task<Record> CreateAsync(System.Text.Json.Nodes.JsonObject input)
    {
        var record = await base.CreateAsync(input);
        Context.Background(async _ =>
        {
            await Task.Delay(50, CancellationToken.None);
            Outcomes.Enqueue("quick finished");
        });
        Context.Background(async ct =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                Outcomes.Enqueue("endless cancelled at shutdown");
            }
        });
        return record;
    }
}
