using System.Net;
using System.Net.Http.Json;
using LightS3.Auth;
using LightS3.Auth.Authorization;
using LightS3.Endpoints;
using LightS3.Hosting;
using LightS3.Model;
using LightS3.Tests.Support;
using LightS3.Yaml.Config;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace LightS3.Tests.Auth;

/// <summary>LightS3 permissions on ASP.NET Core's authorization system: requirements, host policies, host handlers, admin roles.</summary>
public sealed class AuthorizationPolicyTests
{
    /// <summary>Open reads and writes; DELETE needs the host's "staff" policy.</summary>
    [MethodPolicy(HttpVerbs.Delete, "staff")]
    public class MemoEndpoint : RestEndpoint<MemoEndpoint>
    {
        [Field(MinLength = 1)] public string Text { get; set; } = "";
    }

    /// <summary>Authenticated writes; DELETE admin-only.</summary>
    [Authentication(Permission = typeof(IsAuthenticated))]
    [MethodPermission(HttpVerbs.Get, typeof(AllowAny))]
    [MethodPermission(HttpVerbs.Delete, typeof(IsAdminUser))]
    public class LedgerEndpoint : RestEndpoint<LedgerEndpoint>
    {
        [Field(MinLength = 1)] public string Text { get; set; } = "";
    }

    /// <summary>A policy for every verb, declared on the class.</summary>
    [Authentication(Policy = "nope")]
    public class UnknownPolicyEndpoint : RestEndpoint<UnknownPolicyEndpoint>
    {
        public string Text { get; set; } = "";
    }

    /// <summary>A host's deny-list: fails every LightS3 permission for one subject.</summary>
    private sealed class DenyMallory : AuthorizationHandler<PermissionRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
        {
            if (context.User.Identity?.Name == "mallory") context.Fail(new AuthorizationFailureReason(this, "deny-listed"));
            return Task.CompletedTask;
        }
    }

    private static WebApplication Build(Action<WebApplicationBuilder>? configure = null, Action<LightS3Options>? options = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddLightS3(o =>
        {
            o.Storage = StorageKind.Memory;
            o.Jwt.Secret = Tokens.Secret;
            o.Jwt.Issuer = Tokens.Issuer;
            o.Jwt.Audience = Tokens.Audience;
            options?.Invoke(o);
        });
        builder.Services.AddAuthorization(o => o.AddPolicy("staff", p => p.RequireClaim("dept", "office")));
        configure?.Invoke(builder);
        var web = builder.Build();
        web.UseLightS3();
        return web;
    }

    private static async Task<HttpStatusCode> Send(HttpClient client, HttpMethod method, string path, string? token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<string> Create(HttpClient client, string path, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(new { text = "x" }) };
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        using var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync())["id"]!.GetValue<string>();
    }

    [Test]
    public async Task A_host_policy_on_a_verb_decides_it_with_401_for_anonymous_and_403_for_a_caller_it_refuses()
    {
        await using var web = Build();
        web.MapRestEndpoint("/memos", typeof(MemoEndpoint));
        await web.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(web.Urls.First()) };
        var id = await Create(client, "/memos");

        Assert.That(await Send(client, HttpMethod.Delete, $"/memos/{id}", null), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await Send(client, HttpMethod.Delete, $"/memos/{id}", Tokens.Create("ada", extra: new Dictionary<string, object> { ["dept"] = "lab" })),
            Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await Send(client, HttpMethod.Get, $"/memos/{id}", null), Is.EqualTo(HttpStatusCode.OK), "refused deletes left the memo");
        Assert.That(await Send(client, HttpMethod.Delete, $"/memos/{id}", Tokens.Create("ada", extra: new Dictionary<string, object> { ["dept"] = "office" })),
            Is.EqualTo(HttpStatusCode.NoContent));
        await web.StopAsync();
    }

    [Test]
    public async Task An_unknown_policy_fails_when_the_endpoint_is_mapped()
    {
        await using var web = Build();
        var e = Assert.Throws<ConfigurationException>(() => web.MapRestEndpoint("/unknown", typeof(UnknownPolicyEndpoint)));
        Assert.That(e!.Message, Does.Contain("unknown authorization policy 'nope'"));
    }

    [Test]
    public async Task Authorization_handlers_of_the_host_take_part_in_lightS3_permissions()
    {
        await using var web = Build(b => b.Services.AddSingleton<IAuthorizationHandler, DenyMallory>());
        web.MapRestEndpoint("/ledger", typeof(LedgerEndpoint));
        await web.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(web.Urls.First()) };

        Assert.That(await Send(client, HttpMethod.Post, "/ledger", Tokens.Create("mallory"), new { text = "x" }), Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await Send(client, HttpMethod.Post, "/ledger", Tokens.Create("alice"), new { text = "x" }), Is.EqualTo(HttpStatusCode.Created));
        Assert.That(await Send(client, HttpMethod.Post, "/ledger", null, new { text = "x" }), Is.EqualTo(HttpStatusCode.Unauthorized));
        await web.StopAsync();
    }

    [Test]
    public async Task Admin_roles_make_callers_of_a_host_scheme_admins_but_never_a_role_claim_in_a_lightS3_token()
    {
        var (key, _) = Tokens.Rsa();
        await using var web = Build(b => b.Services.AddAuthentication().AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = Tokens.Issuer,
                ValidAudience = Tokens.Audience,
                IssuerSigningKey = new RsaSecurityKey(key.ExportParameters(false)),
                NameClaimType = "sub",
                RoleClaimType = "roles",
            };
        }), o =>
        {
            o.AuthenticationSchemes = [JwtBearerDefaults.AuthenticationScheme, JwtAuthenticationHandler.SchemeName];
            o.Jwt.AdminRoles = ["ledger-admin"];
        });
        web.MapRestEndpoint("/ledger", typeof(LedgerEndpoint));
        await web.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(web.Urls.First()) };
        var clerk = Tokens.CreateRs256(key, "clerk", new Dictionary<string, object> { ["roles"] = new[] { "reader" } });
        var boss = Tokens.CreateRs256(key, "boss", new Dictionary<string, object> { ["roles"] = new[] { "reader", "ledger-admin" } });
        var forged = Tokens.Create("eve", extra: new Dictionary<string, object> { ["role"] = "ledger-admin", ["roles"] = "ledger-admin" });

        var id = await Create(client, "/ledger", clerk);
        Assert.That(await Send(client, HttpMethod.Delete, $"/ledger/{id}", clerk), Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await Send(client, HttpMethod.Delete, $"/ledger/{id}", forged), Is.EqualTo(HttpStatusCode.Forbidden),
            "a LightS3-issued token is admin only through its boolean admin claim");
        Assert.That(await Send(client, HttpMethod.Delete, $"/ledger/{id}", boss), Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await Send(client, HttpMethod.Delete, $"/ledger/{await Create(client, "/ledger", clerk)}", Tokens.Create("root", admin: true)),
            Is.EqualTo(HttpStatusCode.NoContent), "LightS3's own admins still are");
        await web.StopAsync();
    }

    [Test]
    public async Task LightS3_policies_protect_the_hosts_own_routes()
    {
        await using var web = Build();
        web.MapGet("/ops/stats", (HttpContext http) => $"hello {http.User.Identity?.Name}").RequireAuthorization(LightS3Policies.AdminUser);
        web.MapGet("/ops/me", (HttpContext http) => http.User.Identity?.Name ?? "").RequireAuthorization(LightS3Policies.Authenticated);
        await web.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(web.Urls.First()) };

        Assert.That(await Send(client, HttpMethod.Get, "/ops/stats", null), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await Send(client, HttpMethod.Get, "/ops/stats", Tokens.Create("ada")), Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await Send(client, HttpMethod.Get, "/ops/stats", Tokens.Create("ada", admin: true)), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await Send(client, HttpMethod.Get, "/ops/me", null), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await Send(client, HttpMethod.Get, "/ops/me", Tokens.Tampered("ada")), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await Send(client, HttpMethod.Get, "/ops/me", Tokens.Create("ada")), Is.EqualTo(HttpStatusCode.OK));
        await web.StopAsync();
    }

    [Test]
    public void Yaml_names_a_host_policy_as_policy_colon_name()
    {
        var config = YamlConfigReader.Read("""
            endpoints:
              - route: /memos
                fields: { text: { type: str } }
                meta:
                  methods:
                    GET:
                    POST:
                    DELETE: { authentication: { permission: "policy:staff" } }
            """);
        Assert.That(config.Endpoints[0].Model.Authentication!.For(HttpVerbs.Delete).Permission, Is.EqualTo("policy:staff"));
        var e = Assert.Throws<ConfigurationException>(() => YamlConfigReader.Read("""
            endpoints:
              - route: /memos
                fields: { text: { type: str } }
                meta: { authentication: { backend: JWTAuthentication, permission: "policy:" } }
            """));
        Assert.That(e!.Message, Does.Contain("unknown permission 'policy:'"));
    }
}
