using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Encodings.Web;
using LightS3.Auth;
using LightS3.Tests.Support;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LightS3.Tests.Auth;

/// <summary>
/// LightS3 inside a host app: its scheme is named and never becomes the host's default; the host's default stays
/// the host's, and LightS3 endpoints authenticate LightS3 bearer tokens explicitly with their own scheme.
/// </summary>
public sealed class HostSchemeTests
{
    /// <summary>The host's own scheme: <c>X-Host-User: name</c> authenticates as that name.</summary>
    private sealed class HostHeaderHandler(IOptionsMonitor<AuthenticationSchemeOptions> o, ILoggerFactory l, UrlEncoder e)
        : AuthenticationHandler<AuthenticationSchemeOptions>(o, l, e)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
            Task.FromResult(Request.Headers["X-Host-User"].ToString() is { Length: > 0 } name
                ? AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", name)], "Host", "sub", null)), "Host"))
                : AuthenticateResult.NoResult());
    }

    private static Task<TestApp> Start(Action<IServiceCollection> hostAuth) =>
        TestApp.StartAsync(TestStore.Memory, a =>
        {
            a.Register<ArticleEndpoint>("/articles");
            a.Web.MapGet("/host/whoami", (HttpContext http) => http.User.Identity?.Name ?? "anonymous").RequireAuthorization();
        }, o => o.Jwt.Secret = Tokens.Secret, configureServices: s =>
        {
            hostAuth(s);
            s.AddAuthorization();
        });

    private static async Task<string?> DefaultAuthenticateScheme(TestApp app) =>
        (await app.App.Services.GetRequiredService<IAuthenticationSchemeProvider>().GetDefaultAuthenticateSchemeAsync())?.Name;

    public static IEnumerable<TestCaseData> HostSetups()
    {
        yield return new TestCaseData((Action<IServiceCollection>)(s => s.AddAuthentication("Host").AddScheme<AuthenticationSchemeOptions, HostHeaderHandler>("Host", null)))
            .SetArgDisplayNames("explicit default");
        yield return new TestCaseData((Action<IServiceCollection>)(s => s.AddAuthentication().AddScheme<AuthenticationSchemeOptions, HostHeaderHandler>("Host", null)))
            .SetArgDisplayNames("single scheme, implicit default");
    }

    [TestCaseSource(nameof(HostSetups))]
    public async Task A_host_default_scheme_stays_the_default_and_lightS3_endpoints_still_take_lightS3_tokens(Action<IServiceCollection> hostAuth)
    {
        await using var app = await Start(hostAuth);
        Assert.That(await DefaultAuthenticateScheme(app), Is.EqualTo("Host"));

        var lightS3Token = Tokens.Create("alice", issuer: "", audience: "");
        Assert.That(await app.SendAsync(HttpMethod.Post, "/articles", new { title = "t" },
            r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", lightS3Token)).StatusAsync(), Is.EqualTo(201));

        var hostCall = await app.SendAsync(HttpMethod.Get, "/host/whoami", adjust: r => r.Headers.Add("X-Host-User", "hostuser"));
        Assert.That(await hostCall.Content.ReadAsStringAsync(), Is.EqualTo("hostuser"), "the host's default scheme authenticates the host's routes");
        Assert.That(await app.SendAsync(HttpMethod.Get, "/host/whoami",
            adjust: r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", lightS3Token)).StatusAsync(), Is.EqualTo(401),
            "a LightS3 token does not sign in to the host's routes");
        Assert.That(await app.SendAsync(HttpMethod.Post, "/articles", new { title = "t" }, r => r.Headers.Add("X-Host-User", "hostuser")).StatusAsync(),
            Is.EqualTo(401), "LightS3 endpoints authenticate with their own scheme, not the host's");
    }

    [Test]
    public async Task Without_a_host_scheme_lightS3_does_not_become_the_default_so_a_bad_token_never_reaches_the_pipeline()
    {
        var (key, pem) = Tokens.Rsa();
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<ArticleEndpoint>("/articles"), o =>
        {
            o.Jwt.PublicKeyPem = pem;
            o.Jwt.Algorithm = "RS256";
        });
        Assert.That(await DefaultAuthenticateScheme(app), Is.Null);
        Assert.That(await app.App.Services.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync(JwtAuthenticationHandler.SchemeName), Is.Not.Null,
            "the named scheme is there for hosts to use explicitly");
        var token = Tokens.CreateRs256(key, "kc-user");
        Assert.That(await app.SendAsync(HttpMethod.Post, "/articles", new { title = "x" },
            r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token)).StatusAsync(), Is.EqualTo(201));
    }
}
