using LightS3.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using LightS3.Diagnostics;

namespace LightS3.Hosting;

/// <summary>
/// Counts the store requests each HTTP request makes, reports them in the <c>X-LightS3-Store-Requests</c>
/// header (when enabled) and logs each request with its id, status, time and store requests.
/// </summary>
internal sealed class StoreRequestMetrics(RequestDelegate next, IOptions<LightS3Options> options, ILogger<StoreRequestMetrics> logger)
{
    /// <summary>The response header carrying the count.</summary>
    public const string Header = "X-LightS3-Store-Requests";

    public async Task InvokeAsync(HttpContext http)
    {
        using var scope = RequestCounter.BeginScope();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (options.Value.StoreRequestHeader)
            http.Response.OnStarting(() =>
            {
                http.Response.Headers[Header] = scope.Counts.Total.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Task.CompletedTask;
            });
        if (!logger.IsEnabled(LogLevel.Information))
        {
            await next(http); // no allocation for a log line nobody reads
            return;
        }
        using var _ = logger.BeginScope(new Dictionary<string, object> { ["RequestId"] = http.TraceIdentifier });
        await next(http);
        logger.RequestStoreCounts(http.Request.Method, http.Request.Path.ToString(), http.Response.StatusCode,
            System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, scope.Counts, http.TraceIdentifier);
    }
}
