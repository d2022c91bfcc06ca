using Microsoft.Extensions.Hosting;

namespace LightS3.Caching;

/// <summary>
/// Builds the response cache when the host starts, so the Redis cache connects and replays its journal of pending
/// invalidations at start rather than at the first request.
/// </summary>
internal sealed class ResponseCacheStartup(IResponseCache cache) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.FromResult(cache.Kind);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
