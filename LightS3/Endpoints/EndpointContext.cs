using System.Security.Claims;
using LightS3.Documents;
using LightS3.Endpoints;
using LightS3.Hosting;
using LightS3.Model;
using LightS3.Query;
using LightS3.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3;

/// <summary>What a handler instance can reach during one request: the HTTP context, the model and the records.</summary>
public sealed class EndpointContext
{
    internal EndpointContext(EndpointRuntime runtime, HttpContext http, HttpVerbs verb)
    {
        Runtime = runtime;
        Http = http;
        Verb = verb;
    }

    /// <summary>The verb being handled.</summary>
    public HttpVerbs Verb { get; }

    /// <summary>Throws a 403 problem unless the verb's permission allows acting on <paramref name="record"/>.</summary>
    public Task EnsureObjectPermissionAsync(Record record) => Runtime.Authorizer.EnsureObjectPermissionAsync(Http, Verb, record);

    internal bool ChecksObjects => Runtime.Authorizer.ChecksObjects(Verb);

    internal EndpointRuntime Runtime { get; }

    /// <summary>The ASP.NET Core request context.</summary>
    public HttpContext Http { get; }

    /// <summary>The caller (anonymous unless authentication ran).</summary>
    public ClaimsPrincipal User => Http.User;

    /// <summary>The endpoint's runtime model.</summary>
    public EndpointModel Model => Runtime.Model;

    /// <summary>The collection's records.</summary>
    public RecordRepository Records => Runtime.Repository;

    /// <summary>Request services.</summary>
    public IServiceProvider Services => Http.RequestServices;

    /// <summary>Aborted when the client goes away.</summary>
    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>
    /// Runs <paramref name="work"/> after the response has been sent (LightAPI's <c>self.background</c>); failures are
    /// logged, never surfaced to the client.
    /// </summary>
    public void Background(Func<CancellationToken, Task> work)
    {
        var tasks = Http.RequestServices.GetRequiredService<Pipeline.BackgroundTasks>();
        Http.Response.OnCompleted(() =>
        {
            tasks.Enqueue(work);
            return Task.CompletedTask;
        });
    }

    /// <summary>The synchronous form of <see cref="Background(Func{CancellationToken, Task})"/>.</summary>
    public void Background(Action work) => Background(_ =>
    {
        work();
        return Task.CompletedTask;
    });

    /// <summary>A fluent query over this endpoint's records (not limited by the HTTP whitelists).</summary>
    public RecordSet Query() => Runtime.Query();

    internal QueryEngine Engine => Runtime.Engine;

    internal InputBinder Binder => Runtime.Binder;

    internal Endpoints.RelationGraph? Relations => Http.RequestServices.GetService<Endpoints.RelationGraph>();

    internal LightS3Options Options => Runtime.Options;
}
