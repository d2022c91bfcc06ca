using LightS3.Documents;
using LightS3.Model;
using LightS3.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LightS3.Endpoints;

/// <summary>The endpoints registered in one app; refuses a second endpoint on a route or a collection.</summary>
public sealed class EndpointRegistry(DocumentStore documents, TimeProvider time, IOptions<LightS3Options> options, ILoggerFactory loggers,
    Auth.PermissionRegistry permissions, Caching.IResponseCache responses,
    Microsoft.AspNetCore.Authorization.IAuthorizationService authorization, Migrations.MigrationCatalog migrations)
{
    private readonly Dictionary<string, EndpointRuntime> _byRoute = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    /// <summary>Registered endpoints.</summary>
    public IReadOnlyCollection<EndpointRuntime> Endpoints
    {
        get { lock (_lock) return _byRoute.Values.ToList(); }
    }

    /// <summary>The endpoint served at <paramref name="route"/>.</summary>
    public EndpointRuntime Get(string route)
    {
        lock (_lock)
            return _byRoute.TryGetValue(EndpointModelValidator.NormalizeRoute(route) ?? route, out var r)
                ? r
                : throw new ArgumentException($"no endpoint is registered at '{route}'", nameof(route));
    }

    /// <summary>Rebuilds the index entries of <paramref name="runtime"/>'s collection with the app's settings (see <see cref="IndexRebuilder"/>).</summary>
    public Task<IndexRebuildReport> RebuildIndexesAsync(EndpointRuntime runtime, IProgress<IndexRebuildProgress>? progress = null, CancellationToken cancellationToken = default) =>
        new IndexRebuilder(runtime.Repository, time, options.Value.UniqueClaimGrace, options.Value.ReadParallelism).RebuildAsync(progress, cancellationToken);

    /// <summary>Builds the runtime of <paramref name="model"/> and records it.</summary>
    public EndpointRuntime Add(EndpointModel model)
    {
        EndpointModelValidator.EnsureValid(model);
        Auth.Module.AuthCollections.EnsureNotReserved(model);
        if (model.Authentication is null && options.Value.DefaultPermission is { } name)
            model = model.With(authentication: new AuthSpec(new AccessRule(name), new Dictionary<HttpVerbs, AccessRule>()));
        lock (_lock)
        {
            if (_byRoute.TryGetValue(model.Route, out var existing))
                throw new ConfigurationException($"{model.Source}: route '{model.Route}' is already served by {existing.Model.Source}");
            if (_byRoute.Values.FirstOrDefault(e => e.Model.Collection == model.Collection) is { } same)
                throw new ConfigurationException($"{model.Source}: collection '{model.Collection}' is already used by {same.Model.Source}");
            var o = options.Value;
            var repository = documents.Open(model);
            repository.Upgrader = migrations.UpgraderFor(model.Route);
            var authorizer = new Auth.EndpointAuthorizer(model, o.Jwt, permissions, authorization, o.AuthenticationSchemes);
            var caching = model.Cache is null ? null : new Endpoints.EndpointResponseCache(model, responses);
            var runtime = new EndpointRuntime(model, repository, authorizer, caching, o, loggers.CreateLogger("LightS3.Endpoint" + model.Route.Replace('/', '.')));
            _byRoute[model.Route] = runtime;
            return runtime;
        }
    }
}
