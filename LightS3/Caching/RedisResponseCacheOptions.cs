using System.Security.Cryptography;
using System.Text;

namespace LightS3.Caching;

/// <summary>Settings of <see cref="RedisResponseCache"/>.</summary>
public sealed class RedisResponseCacheOptions
{
    /// <summary><c>redis://[:password@]host:port/db</c> or a StackExchange.Redis configuration string.</summary>
    public required string Url { get; init; }

    /// <summary>Longest a cache call on the request path may take before the request is served uncached.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// The durable journal of invalidations not yet sent to Redis; null = <see cref="DefaultJournalPath"/>.
    /// Instances that should replay each other's invalidations after a restart must use the same path.
    /// </summary>
    public string? JournalPath { get; init; }

    /// <summary>
    /// Longest pause between two attempts to deliver pending invalidations (retries start at 100 ms and double up
    /// to this), and the reconnect interval of the Redis connection. Default 1 s.
    /// </summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest a connection attempt to Redis may take. Default 2 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The default journal: <c>{temp}/lights3/cache-invalidations-{hash of the Redis URL}.journal</c>.</summary>
    public static string DefaultJournalPath(string url) =>
        Path.Combine(Path.GetTempPath(), "lights3", $"cache-invalidations-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)), 0, 8)}.journal");
}
