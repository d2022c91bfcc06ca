using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using LightS3.Tests.Support;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LightS3.Tests.Hosting;

/// <summary>
/// A Minimal API host with its own JwtBearer scheme, authorization policy, <c>CustomizeProblemDetails</c> and rate-limiter
/// <c>OnRejected</c> adds LightS3 for one collection: its own handlers still run, LightS3's endpoints obey the host's
/// policy through the route group <c>MapRestEndpoint</c> returns, and the container holds no LightS3 hosted service the
/// host did not ask for.
/// </summary>
public sealed class GuestHostTests
{
    private static readonly SymmetricSecurityKey Key = new("guest-host-tests-signing-key-0123456789abcdef"u8.ToArray());

    private static string Token(params Claim[] claims) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Subject = new ClaimsIdentity(claims.Prepend(new Claim("sub", "host-user"))),
        Issuer = "host-idp",
        Audience = "host-api",
        Expires = DateTime.UtcNow.AddHours(1), // validated by JwtBearer against its own clock; an hour is far from either edge
        SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
    });

    // LightS3's hosted services in a container: the types the host ends up running at start
    private static List<string> LightS3HostedServices(IServiceProvider services) =>
        [.. services.GetServices<IHostedService>().Select(s => s.GetType()).Where(t => t.Assembly == typeof(LightS3App).Assembly).Select(t => t.Name).Order()];

    [Test]
    public async Task A_host_with_its_own_scheme_policy_problem_details_and_rate_limiter_adds_lightS3_for_one_collection()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var rejectedByHost = 0;
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = "host-idp",
                ValidAudience = "host-api",
                IssuerSigningKey = Key,
            };
        });
        builder.Services.AddAuthorization(o => o.AddPolicy("host-policy", p => p.RequireAuthenticatedUser().RequireClaim("scope", "books")));
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c => c.ProblemDetails.Extensions["host"] = "customized");
        builder.Services.AddRateLimiter(o =>
        {
            o.AddFixedWindowLimiter("host-limit", l => (l.PermitLimit, l.Window, l.QueueLimit) = (1, TimeSpan.FromHours(1), 0));
            o.OnRejected = (context, _) =>
            {
                Interlocked.Increment(ref rejectedByHost);
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                return ValueTask.CompletedTask;
            };
        });
        builder.Services.AddLightS3(o => o.Storage = StorageKind.Memory);

        await using var app = builder.Build();
        app.UseLightS3();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/host/hello", () => "hello from the host");
        app.MapGet("/host/limited", () => "ok").RequireRateLimiting("host-limit");
        app.MapGet("/host/missing", () => Results.Problem(statusCode: 404));
        app.MapRestEndpoint("/books", typeof(BookEndpoint)).RequireAuthorization("host-policy");
        await app.StartAsync();
        using var client = app.GetTestClient();

        Assert.That(await client.GetStringAsync("/host/hello"), Is.EqualTo("hello from the host"), "the host's own handler runs");
        var problem = JsonNode.Parse(await (await client.GetAsync("/host/missing")).Content.ReadAsStringAsync())!;
        Assert.That(problem["host"]?.GetValue<string>(), Is.EqualTo("customized"), "the host's CustomizeProblemDetails runs");
        Assert.That((await client.GetAsync("/host/limited")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.GetAsync("/host/limited")).StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(rejectedByHost, Is.EqualTo(1), "the host's OnRejected answers its own policy's rejection");

        // LightS3's endpoints obey the host's policy: no token 401, a token without the scope 403, with it the API
        Assert.That((await client.GetAsync("/books")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        using (var noScope = new HttpRequestMessage(HttpMethod.Get, "/books"))
        {
            noScope.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token());
            Assert.That((await client.SendAsync(noScope)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        }
        var token = Token(new Claim("scope", "books"));
        using (var create = new HttpRequestMessage(HttpMethod.Post, "/books") { Content = JsonContent.Create(new { title = "Dune", author = "Herbert" }) })
        {
            create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var created = await client.SendAsync(create);
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        }
        using (var list = new HttpRequestMessage(HttpMethod.Get, "/books"))
        {
            list.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var listed = JsonNode.Parse(await (await client.SendAsync(list)).Content.ReadAsStringAsync())!;
            Assert.That(listed["results"]!.AsArray().Select(b => b!["title"]!.GetValue<string>()), Is.EqualTo(new[] { "Dune" }));
        }

        // only LightS3's start-up steps and the idle Context.Background queue: no loop the host did not ask for
        Assert.That(LightS3HostedServices(app.Services), Is.EqualTo(new[] { "BackgroundTasks", "ResponseCacheStartup", "StorageStartup" }));
        await app.StopAsync();
    }

    [Test]
    public void Each_background_feature_is_registered_when_asked_for_and_only_then()
    {
        var features = new Dictionary<string, (Func<LightS3Builder, LightS3Builder> Add, string[] Services)>
        {
            ["change feed"] = (b => b.AddChangeFeed(), ["ChangeFeedCleanup", "ChangeHub"]),
            ["webhooks"] = (b => b.AddWebhooks(), ["WebhookDispatcher"]),
            ["garbage collection"] = (b => b.AddGarbageCollection(), ["GarbageCollectionService"]),
            ["expiry"] = (b => b.AddExpiry(), ["ExpirySweepService"]),
            ["relation jobs"] = (b => b.AddRelationJobs(), ["OnDeleteJobs"]),
        };
        string[] core = ["BackgroundTasks", "ResponseCacheStartup", "StorageStartup"];
        foreach (var (name, (add, expected)) in features)
        {
            var builder = Host.CreateApplicationBuilder();
            add(add(builder.Services.AddLightS3(o => o.Storage = StorageKind.Memory))); // asking twice registers once
            using var host = builder.Build();
            Assert.That(LightS3HostedServices(host.Services), Is.EquivalentTo(core.Concat(expected)), name);
        }
    }
}
