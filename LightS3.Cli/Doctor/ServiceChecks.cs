using System.Diagnostics;
using LightS3.Auth;
using LightS3.Caching;
using LightS3.Model;
using StackExchange.Redis;

namespace LightS3.Cli.Doctor;

/// <summary>The services beside the store: Redis (response cache) and the JWT key.</summary>
public static class ServiceChecks
{
    /// <summary>Pings Redis when <c>LIGHTS3_REDIS_URL</c> is set.</summary>
    public static async Task<DoctorResult> RedisAsync(string? url, TimeSpan timeout)
    {
        const string check = "redis";
        if (string.IsNullOrEmpty(url))
            return new(check, DoctorStatus.Ok, "not configured", "responses are cached in each instance's memory; with several instances set LIGHTS3_REDIS_URL so a write invalidates every instance's cache");
        try
        {
            var config = ConfigurationOptions.Parse(RedisResponseCache.ToConfiguration(url));
            config.AbortOnConnectFail = true;
            config.ConnectTimeout = (int)timeout.TotalMilliseconds;
            config.ConnectRetry = 0;
            await using var redis = await ConnectionMultiplexer.ConnectAsync(config);
            var watch = Stopwatch.StartNew();
            await redis.GetDatabase().PingAsync();
            return new(check, DoctorStatus.Ok, $"PING {watch.Elapsed.TotalMilliseconds:0.0} ms", "cached responses are shared, and writes invalidate them on every instance");
        }
        catch (Exception e) when (e is RedisException or ArgumentException or TimeoutException)
        {
            return new(check, DoctorStatus.Warn, $"unreachable: {e.Message.Split('\n')[0]}", "the API keeps working uncached (every read goes to the store); invalidations are journaled and sent when Redis is back");
        }
    }

    /// <summary>Checks the JWT key the way serve does; a missing key fails only when some endpoint authenticates.</summary>
    public static DoctorResult Jwt(JwtOptions jwt, IReadOnlyList<string> authenticatedRoutes)
    {
        const string check = "jwt key";
        if (!jwt.IsConfigured)
            return authenticatedRoutes.Count > 0
                ? new(check, DoctorStatus.Fail, "none", $"{string.Join(", ", authenticatedRoutes)} authenticate: serve refuses to start; set LIGHTS3_JWT_SECRET (or LIGHTS3_JWT_PUBLIC_KEY)")
                : new(check, DoctorStatus.Ok, "none", "every endpoint is open; the auth module and lights3 token need LIGHTS3_JWT_SECRET");
        try
        {
            var parameters = JwtKeys.Parameters(jwt);
            var algorithm = parameters.ValidAlgorithms.Single();
            var what = string.IsNullOrEmpty(jwt.Secret) ? $"{algorithm} public key" : $"{algorithm} secret ({System.Text.Encoding.UTF8.GetByteCount(jwt.Secret)} bytes)";
            return new(check, DoctorStatus.Ok, what, string.IsNullOrEmpty(jwt.Secret)
                ? "tokens from your identity provider are verified; lights3 token and the auth module cannot sign with a public key"
                : "tokens are signed and verified; every instance needs the same secret");
        }
        catch (ConfigurationException e)
        {
            return new(check, DoctorStatus.Fail, "unusable", e.Message);
        }
    }
}
