using LightS3.Documents;
using LightS3.Hosting;
using LightS3.Http;
using LightS3.Model;
using LightS3.Query;
using LightS3.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LightS3.Endpoints;

/// <summary>
/// One registered endpoint at run time: its model plus everything built from it once (validator,
/// repository), and the dispatch of requests to a fresh handler instance.
/// </summary>
public sealed class EndpointRuntime
{
    private const HttpVerbs CollectionVerbs = EndpointOperations.CollectionVerbs;
    private const HttpVerbs ItemVerbs = EndpointOperations.ItemVerbs;
    private readonly Func<IServiceProvider, RestEndpointBase>? _handlerFactory;
    private readonly ILogger _logger;
    private readonly Endpoints.EndpointResponseCache? _caching;
    private readonly System.Threading.RateLimiting.PartitionedRateLimiter<HttpContext>? _limiter;

    internal EndpointRuntime(EndpointModel model, RecordRepository repository, Auth.EndpointAuthorizer authorizer, Endpoints.EndpointResponseCache? caching,
        LightS3Options options, ILogger logger)
    {
        _caching = caching;
        Authorizer = authorizer;
        Model = model;
        FileFieldNames = model.FileFields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        Repository = repository;
        Options = options;
        Binder = new InputBinder(model, options.UnknownFields);
        Validators = new UserValidators(model);
        Engine = new QueryEngine(repository, options.ReadParallelism);
        _limiter = model.RateLimit is { } limit
            ? System.Threading.RateLimiting.PartitionedRateLimiter.Create<HttpContext, string>(http => ClientRateLimits.Partition(http, limit.Requests, limit.Window))
            : null;
        _logger = logger;
        // handlers are built by DI (constructor injection), with a factory compiled once per type
        _handlerFactory = model.HandlerType is { } type ? HandlerFactory.For(type) : null;
    }

    /// <summary>The endpoint model.</summary>
    public EndpointModel Model { get; }

    /// <summary>Names of the model's file fields, whose stored bookkeeping responses hide (LightS3.Files).</summary>
    internal IReadOnlySet<string> FileFieldNames { get; private init; } = new HashSet<string>();

    /// <summary>Drops cached reads after a write that did not come through <see cref="HandleAsync"/> (the file routes).</summary>
    internal Task InvalidateCacheAsync(CancellationToken ct) => _caching is null ? Task.CompletedTask : _caching.InvalidateAsync(ct);

    /// <summary>The response cache, for writes made outside the verb handlers (restore).</summary>
    internal Endpoints.EndpointResponseCache? ResponseCache => _caching;

    /// <summary>The endpoint's records.</summary>
    public RecordRepository Repository { get; }

    internal LightS3Options Options { get; }

    internal InputBinder Binder { get; }

    internal UserValidators Validators { get; }

    internal Auth.EndpointAuthorizer Authorizer { get; }

    /// <summary>The query engine over this endpoint's records.</summary>
    public QueryEngine Engine { get; }

    /// <summary>A fluent query over this endpoint's records.</summary>
    public RecordSet Query() => new(Model, Engine, Repository);

    /// <summary>
    /// Checks a create body as <c>POST</c> does before writing (binding, field rules, the endpoint's validators) and returns the
    /// fields it would store; throws <see cref="RecordValidationException"/> with per-field errors. Writes nothing (an import's
    /// dry run); unique values and a handler's own <c>CreateAsync</c> checks are not consulted.
    /// </summary>
    public async Task<System.Text.Json.Nodes.JsonObject> ValidateCreateAsync(IServiceProvider services, System.Text.Json.Nodes.JsonObject body, CancellationToken ct = default)
    {
        var bound = Binder.Bind(Binder.Canonicalize(body, BindMode.Create), BindMode.Create);
        await Validators.ValidateAsync(services, bound.Fields, ct);
        return bound.Fields;
    }

    /// <summary>A fresh handler acting as <paramref name="verb"/>: for one request, one item of a bulk request, one change-feed subscriber, or a read on behalf of another endpoint (expand) — its own hooks, queryset and serializer apply.</summary>
    internal RestEndpointBase CreateHandler(HttpContext http, HttpVerbs verb)
    {
        var handler = _handlerFactory is null ? new DefaultEndpoint() : _handlerFactory(http.RequestServices);
        handler.Attach(new EndpointContext(this, http, verb));
        return handler;
    }

    /// <summary>Null when the endpoint's rate limit admits one more request from this client, else the 429 problem (bulk and export routes).</summary>
    internal async Task<IResult?> LimitAsync(HttpContext http)
    {
        if (_limiter is null) return null;
        using var lease = await _limiter.AcquireAsync(http, 1, http.RequestAborted);
        return lease.IsAcquired ? null : ClientRateLimits.Reject(http, lease, Model.RateLimit!.Window, "too many requests; retry later");
    }

    /// <summary>Handles a request to the collection (<paramref name="rawId"/> null) or to one record; never throws for client input.</summary>
    public Task<IResult> HandleAsync(HttpContext http, string? rawId) => Problems.GuardAsync(http, _logger, () => DispatchAsync(http, rawId));

    private async Task<IResult> DispatchAsync(HttpContext http, string? rawId)
    {
        var allowed = (rawId is null ? CollectionVerbs : ItemVerbs) & Model.Methods;
        var verb = HttpVerbNames.Parse(http.Request.Method);
        if (verb is not { } v || !allowed.HasFlag(v))
        {
            var names = HttpVerbNames.Of(allowed).ToList();
            http.Response.Headers.Allow = string.Join(", ", names);
            return Problems.Create(StatusCodes.Status405MethodNotAllowed,
                names.Count == 0 ? "Method Not Allowed." : $"Method Not Allowed. Allowed: {string.Join(", ", names)}");
        }
        if (_limiter is not null)
        {
            using var lease = await _limiter.AcquireAsync(http, 1, http.RequestAborted);
            if (!lease.IsAcquired) return ClientRateLimits.Reject(http, lease, Model.RateLimit!.Window, "too many requests; retry later");
        }
        // who may call comes before whether the id exists: an anonymous caller learns nothing about records
        if (await Authorizer.AuthorizeAsync(http, v) is { } refused) return refused;
        using var actor = WriteActor.Begin(WriteActor.ActorOf(http.User)); // created_by / updated_by / history
        string? id = null;
        if (rawId is not null && !RecordIds.TryNormalize(Model, rawId, out id))
            return Problems.Create(StatusCodes.Status404NotFound, "not found");

        RestEndpointBase NewHandler()
        {
            var handler = _handlerFactory is null ? new DefaultEndpoint() : _handlerFactory(http.RequestServices);
            handler.Attach(new EndpointContext(this, http, v));
            return handler;
        }
        if (await Endpoints.TimeRequests.HandleAsync(this, http, v, id, NewHandler) is { } variant)
        {
            if (_caching is not null && v != HttpVerbs.Get) await _caching.InvalidateAsync(http.RequestAborted);
            return variant;
        }
        // a cache hit needs no handler at all
        if (v == HttpVerbs.Get) return _caching is null ? await NewHandler().GetAsync(id) : await _caching.GetAsync(http, () => NewHandler().GetAsync(id));
        var handler = NewHandler();
        var result = await (v switch
        {
            HttpVerbs.Post => Endpoints.IdempotentRequests.IsRequested(http) ? Endpoints.IdempotentRequests.RunAsync(http, this, Options.MaxBodyBytes, handler.PostAsync) : handler.PostAsync(),
            HttpVerbs.Put => handler.PutAsync(id!),
            HttpVerbs.Patch => handler.PatchAsync(id!),
            _ => handler.DeleteAsync(id!),
        });
        // the write is stored: drop cached reads before the client can ask again
        if (_caching is not null) await _caching.InvalidateAsync(http.RequestAborted);
        return result;
    }
}
