using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LightS3.Jobs;

/// <summary>Registers the leased-job machinery (called by <c>AddLightS3</c>).</summary>
public static class JobServiceCollectionExtensions
{
    /// <summary>Adds <see cref="JobOptions"/> (section <c>LightS3:Jobs</c>), <see cref="JobLeases"/> and <see cref="JobStatusBoard"/>.</summary>
    public static IServiceCollection AddLightS3Jobs(this IServiceCollection services)
    {
        LightS3Configuration.Bind<JobOptions>(services, JobOptions.Section)
            .Validate(o => o.LeaseDuration >= TimeSpan.FromMilliseconds(300), $"{JobOptions.Section}:LeaseDuration must be at least 300 ms")
            .ValidateOnStart();
        services.TryAddSingleton<JobLeases>();
        services.TryAddSingleton<JobStatusBoard>();
        return services;
    }
}
