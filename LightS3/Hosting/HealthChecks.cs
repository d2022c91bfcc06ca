using System.Text.Json.Nodes;
using LightS3.Caching;
using LightS3.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace LightS3.Hosting;

/// <summary>Readiness: the store answers a one-key listing.</summary>
internal sealed class StorageHealthCheck(IObjectStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.ListAsync("_health/", null, 1, cancellationToken);
            return HealthCheckResult.Healthy($"{store.Kind} store reachable");
        }
        catch (StorageUnavailableException e)
        {
            return HealthCheckResult.Unhealthy($"{store.Kind} store unreachable: {e.Message}");
        }
    }
}

/// <summary>Readiness: the response cache answers (always true for the in-process one).</summary>
internal sealed class CacheHealthCheck(IResponseCache cache, IOptions<LightS3Options> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await cache.PingAsync(cancellationToken)
            ? HealthCheckResult.Healthy($"{cache.Kind} cache reachable")
            // requests still work uncached, so the app stays ready; the detail says what is degraded
            : HealthCheckResult.Degraded($"{cache.Kind} cache unreachable within {options.Value.CacheTimeout.TotalMilliseconds:0} ms: serving uncached");
}

/// <summary><c>/healthz</c> (liveness) and <c>/readyz</c> (readiness) with JSON detail.</summary>
public static class LightS3Health
{
    /// <summary>Maps the two health endpoints.</summary>
    public static IEndpointRouteBuilder MapLightS3Health(this IEndpointRouteBuilder routes)
    {
        routes.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        routes.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            ResponseWriter = WriteAsync,
            ResultStatusCodes = { [HealthStatus.Healthy] = 200, [HealthStatus.Degraded] = 200, [HealthStatus.Unhealthy] = 503 },
        });
        return routes;
    }

    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        var checks = new JsonObject();
        foreach (var (name, entry) in report.Entries)
        {
            var check = new JsonObject { ["status"] = entry.Status.ToString(), ["description"] = entry.Description, ["duration_ms"] = Math.Round(entry.Duration.TotalMilliseconds, 1) };
            if (entry.Data.Count > 0) check["data"] = System.Text.Json.JsonSerializer.SerializeToNode(entry.Data);
            checks[name] = check;
        }
        var body = new JsonObject { ["status"] = report.Status.ToString(), ["checks"] = checks };
        http.Response.ContentType = "application/json; charset=utf-8";
        return http.Response.WriteAsync(body.ToJsonString());
    }
}
