using System.Net;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using LightS3.Hosting;
using LightS3.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Tests.Hosting;

/// <summary>
/// LightS3 is a guest in a host app: the host's own <c>CustomizeProblemDetails</c> and rate-limiter <c>OnRejected</c> keep
/// running after <c>AddLightS3()</c>, whether the host configures them before or after it.
/// </summary>
public sealed class HostSettingsCompositionTests
{
    [TestCase(true)]
    [TestCase(false)]
    public async Task The_hosts_problem_details_and_rejection_handlers_still_run(bool hostFirst)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var rejectedByHost = 0;
        void Host()
        {
            builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c => c.ProblemDetails.Extensions["host"] = "customized");
            builder.Services.AddRateLimiter(o =>
            {
                o.AddFixedWindowLimiter("host-policy", l => (l.PermitLimit, l.Window, l.QueueLimit) = (1, TimeSpan.FromHours(1), 0));
                o.OnRejected = (context, _) =>
                {
                    Interlocked.Increment(ref rejectedByHost);
                    context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                    return ValueTask.CompletedTask;
                };
            });
        }
        if (hostFirst) Host();
        builder.Services.AddLightS3(o => o.Storage = StorageKind.Memory);
        if (!hostFirst) Host();
        await using var web = builder.Build();
        web.UseLightS3();
        web.UseRateLimiter();
        web.MapGet("/host/limited", () => "ok").RequireRateLimiting("host-policy");
        web.MapGet("/host/missing", () => Results.Problem(statusCode: 404));
        web.MapRestEndpoint("/books", typeof(BookEndpoint));
        await web.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(web.Urls.First()) };

        var problem = JsonNode.Parse(await (await client.GetAsync("/host/missing")).Content.ReadAsStringAsync())!;
        Assert.That(problem["host"]?.GetValue<string>(), Is.EqualTo("customized"), "the host's CustomizeProblemDetails ran");
        var lightS3Problem = JsonNode.Parse(await (await client.GetAsync($"/books/{LightS3.Documents.RecordIds.New()}")).Content.ReadAsStringAsync())!;
        Assert.That(lightS3Problem["detail"]?.GetValue<string>(), Is.Not.Empty, "LightS3's problems keep their detail");

        Assert.That((await client.GetAsync("/host/limited")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.GetAsync("/host/limited")).StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(rejectedByHost, Is.EqualTo(1), "the host's OnRejected answered its own policy's rejection");
        await web.StopAsync();
    }
}
