using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LightS3.Jobs;

/// <summary>
/// The <c>jobs</c> entry of <c>/readyz</c>: each leased job with its holder, whether it runs here, its last run and
/// last error. Jobs never make the app unready; a failed last run reads as Degraded (still 200).
/// </summary>
internal sealed class JobsHealthCheck(JobStatusBoard board) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var job in board.All)
            data[job.Name] = new JsonObject
            {
                ["enabled"] = job.Enabled,
                ["interval_s"] = job.Interval.TotalSeconds,
                ["holder"] = job.Holder,
                ["held_here"] = job.HeldHere,
                ["lease_expires_at"] = Format(job.LeaseExpiresAt),
                ["last_run_at"] = Format(job.LastRunAt),
                ["last_error"] = job.LastError,
            };
        var failing = board.All.Where(j => j.LastError is not null).Select(j => j.Name).ToList();
        var description = $"instance {board.InstanceId}; {board.All.Count(j => j.HeldHere)} of {board.All.Count(j => j.Enabled)} job(s) held here";
        return Task.FromResult(failing.Count == 0
            ? HealthCheckResult.Healthy(description, data)
            : HealthCheckResult.Degraded($"{description}; last run failed: {string.Join(", ", failing)}", data: data));
    }

    private static string? Format(DateTimeOffset? at) => at?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
