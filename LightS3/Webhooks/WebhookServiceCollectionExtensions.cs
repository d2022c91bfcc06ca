using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LightS3.Webhooks;

/// <summary>Registers webhook dispatch (called by <c>AddLightS3().AddWebhooks()</c>).</summary>
internal static class WebhookServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="WebhookOptions"/> (section <c>LightS3:Webhooks</c>, validated at start), the HTTP client, the
    /// stores of cursors and dead letters, and the <see cref="WebhookDispatcher"/> job (idle without targets).
    /// </summary>
    public static IServiceCollection AddLightS3Webhooks(this IServiceCollection services)
    {
        LightS3Configuration.Bind<WebhookOptions>(services, WebhookOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidation>());
        services.AddHttpClient(WebhookSender.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false, // a target is exactly the configured URL
                ConnectTimeout = sp.GetRequiredService<IOptions<WebhookOptions>>().Value.Timeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            });
        services.TryAddSingleton<IWebhookChangeSource, ChangeFeedWebhookSource>();
        services.TryAddSingleton<WebhookSender>();
        services.TryAddSingleton<WebhookCursors>();
        services.TryAddSingleton<WebhookDeadLetters>();
        services.TryAddSingleton<WebhookDispatcher>(); // runs as a hosted service through LightS3Builder.AddWebhooks
        return services;
    }
}
