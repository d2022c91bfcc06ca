using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace LightS3.Http;

/// <summary>Per-client-address fixed windows and their 429 answer, shared by endpoint limits and the auth module's policy.</summary>
internal static class ClientRateLimits
{
    /// <summary>A fixed window of <paramref name="permits"/> per <paramref name="window"/> for the request's client address.</summary>
    public static RateLimitPartition<string> Partition(HttpContext http, int permits, TimeSpan window) =>
        RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 });

    /// <summary>The 429 problem for a refused <paramref name="lease"/>, with <c>Retry-After</c> set on the response.</summary>
    public static IResult Reject(HttpContext http, RateLimitLease lease, TimeSpan fallback, string detail)
    {
        var retry = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : fallback;
        http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return Problems.Create(StatusCodes.Status429TooManyRequests, detail);
    }
}
