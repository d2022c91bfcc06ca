using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace LightS3;

/// <summary>
/// What <c>services.AddLightS3()</c> returns: LightS3's core (options, store, documents, endpoints, auth, cache) is
/// registered; each feature that works in the background is added only when asked, so a host that wants CRUD on one
/// collection runs no loop it did not choose. <see cref="LightS3App.Create"/> and the YAML host add them all.
/// <code>builder.Services.AddLightS3().AddChangeFeed().AddWebhooks();</code>
/// </summary>
public sealed class LightS3Builder
{
    internal LightS3Builder(IServiceCollection services) => Services = services;

    /// <summary>The host's services.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// The realtime side of the change feed: <c>{route}/_changes</c> and <c>{route}/_events</c> of endpoints that keep
    /// one (<c>changes: true</c>), the hub that pushes events (across instances over Redis) and the retention cleanup.
    /// </summary>
    public LightS3Builder AddChangeFeed()
    {
        Services.TryAddSingleton<Changes.ChangeHub>();
        Services.TryAddSingleton<Changes.ChangeFeedCleanup>();
        Background<Changes.ChangeHub>();
        Background<Changes.ChangeFeedCleanup>();
        return this;
    }

    /// <summary>Webhook delivery of the change feed (<c>LightS3:Webhooks</c>, docs/webhooks.md): the dispatcher, its sender and stores.</summary>
    public LightS3Builder AddWebhooks()
    {
        Webhooks.WebhookServiceCollectionExtensions.AddLightS3Webhooks(Services);
        Background<Webhooks.WebhookDispatcher>();
        return this;
    }

    /// <summary>The periodic collection of tombstones, free unique markers and temporary files (<c>LIGHTS3_GC_INTERVAL</c>).</summary>
    public LightS3Builder AddGarbageCollection()
    {
        Background<Hosting.GarbageCollectionService>();
        return this;
    }

    /// <summary>The periodic purge of expired records and of soft-deleted ones past retention (<c>LIGHTS3_EXPIRY_SWEEP_INTERVAL</c>).</summary>
    public LightS3Builder AddExpiry()
    {
        Background<Hosting.ExpirySweepService>();
        return this;
    }

    /// <summary>The set_null and cascade work that follows a delete of a referenced record (docs/relations.md).</summary>
    public LightS3Builder AddRelationJobs()
    {
        Background<Endpoints.OnDeleteJobs>();
        return this;
    }

    /// <summary>Every feature: what <see cref="LightS3App.Create"/> and the YAML host turn on.</summary>
    internal LightS3Builder AddAll() => AddChangeFeed().AddWebhooks().AddGarbageCollection().AddExpiry().AddRelationJobs();

    /// <summary>
    /// Registers <typeparamref name="TService"/> (a singleton of the container) as a hosted service, remembered as
    /// background work so a command-line run can drop it (<see cref="WithoutBackground"/>).
    /// </summary>
    internal void Background<TService>() where TService : class, IHostedService
    {
        var marks = BackgroundServices.Of(Services);
        if (marks.Types.Contains(typeof(TService))) return;
        var descriptor = ServiceDescriptor.Singleton<IHostedService>(sp => sp.GetRequiredService<TService>());
        Services.Add(descriptor);
        marks.Types.Add(typeof(TService));
        marks.Descriptors.Add(descriptor);
    }

    /// <summary>Removes every background service LightS3 registered: a CLI command runs none (start-up checks stay).</summary>
    internal static void WithoutBackground(IServiceCollection services)
    {
        var marks = BackgroundServices.Of(services);
        foreach (var descriptor in marks.Descriptors) services.Remove(descriptor);
        marks.Descriptors.Clear();
        marks.Types.Clear();
    }

    // the hosted-service registrations that are background work, kept in the collection itself (one per container)
    private sealed class BackgroundServices
    {
        public HashSet<Type> Types { get; } = [];
        public List<ServiceDescriptor> Descriptors { get; } = [];

        public static BackgroundServices Of(IServiceCollection services)
        {
            if (services.FirstOrDefault(d => d.ServiceType == typeof(BackgroundServices))?.ImplementationInstance is BackgroundServices marks) return marks;
            marks = new BackgroundServices();
            services.AddSingleton(marks);
            return marks;
        }
    }
}
