using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LightS3.Changes;

/// <summary>Registers the change feed: the reader, the realtime hub and the retention cleanup.</summary>
internal static class ChangeFeedServices
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddSingleton<ChangeFeed>();
        services.TryAddSingleton<ChangeHub>();
        services.AddHostedService(sp => sp.GetRequiredService<ChangeHub>());
        services.TryAddSingleton<ChangeFeedCleanup>();
        services.AddHostedService(sp => sp.GetRequiredService<ChangeFeedCleanup>());
    }
}
