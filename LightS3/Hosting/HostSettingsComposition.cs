using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Hosting;

/// <summary>
/// LightS3's additions to settings the host owns, composed with the host's own rather than assigned over them: they run
/// as post-configuration, after every <c>Configure</c> of the host whatever the order of registration, and wrap what the
/// host set. The host keeps the last word on its own problem details and on rejections by its own rate-limit policies.
/// </summary>
internal static class HostSettingsComposition
{
    public static void Add(IServiceCollection services)
    {
        services.PostConfigure<ProblemDetailsOptions>(o =>
        {
            var host = o.CustomizeProblemDetails;
            o.CustomizeProblemDetails = context =>
            {
                Http.StatusCodeProblems.FillDetail(context); // fills a missing detail only
                host?.Invoke(context);
            };
        });
        services.PostConfigure<RateLimiterOptions>(o =>
        {
            var host = o.OnRejected;
            o.OnRejected = (context, ct) => host is not null && !IsLightS3Policy(context.HttpContext)
                ? host(context, ct)
                : new ValueTask(Http.ClientRateLimits.Reject(context.HttpContext, context.Lease, TimeSpan.FromSeconds(60), "too many attempts; retry later")
                    .ExecuteAsync(context.HttpContext));
        });
    }

    // the request was limited by a policy LightS3 named (its own routes): LightS3 answers; otherwise the host's handler does
    private static bool IsLightS3Policy(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName is { } name
        && name.StartsWith("lights3", StringComparison.Ordinal);
}
