using System.Net;
using System.Net.Http.Json;
using LightS3.Hosting;
using LightS3.Tests.Support;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace LightS3.Tests.Auth;

/// <summary>
/// A host that signs users in with an external identity provider through its own <c>AddJwtBearer</c>: LightS3 endpoints
/// accept those tokens when the host names its scheme in <c>LightS3Options.AuthenticationSchemes</c>.
/// </summary>
public sealed class ExternalIdentityProviderTests
{
    [Test]
    public async Task Tokens_of_the_hosts_own_jwt_bearer_scheme_identify_callers_of_lightS3_endpoints()
    {
        var (key, _) = Tokens.Rsa();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddLightS3(o =>
        {
            o.Storage = StorageKind.Memory;
            o.AuthenticationSchemes = [JwtBearerDefaults.AuthenticationScheme];
        });
        builder.Services.AddAuthentication().AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = Tokens.Issuer,
                ValidAudience = Tokens.Audience,
                IssuerSigningKey = new RsaSecurityKey(key.ExportParameters(false)),
                NameClaimType = "sub",
            };
        });
        await using var web = builder.Build();
        web.UseLightS3();
        web.MapLightS3Health();
        web.MapRestEndpoint("/notes", typeof(PrivateNoteEndpoint));
        await web.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(web.Urls.First()) };

        // an RS256 token of the "foreign" issuer, with the sid such providers put in every token
        var alice = Tokens.CreateRs256(key, "alice", new Dictionary<string, object> { ["sid"] = "idp-session-1" });
        var bob = Tokens.CreateRs256(key, "bob", new Dictionary<string, object> { ["sid"] = "idp-session-2" });
        async Task<HttpResponseMessage> Send(HttpMethod method, string path, string? token, object? body = null)
        {
            using var request = new HttpRequestMessage(method, path);
            if (token is not null) request.Headers.Authorization = new("Bearer", token);
            if (body is not null) request.Content = JsonContent.Create(body);
            return await client.SendAsync(request);
        }

        Assert.That((await Send(HttpMethod.Post, "/notes", null, new { text = "anonymous" })).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var created = await Send(HttpMethod.Post, "/notes", alice, new { text = "alice's" });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var note = await created.JsonAsync();
        Assert.That(note["owner"]!.GetValue<string>(), Is.EqualTo("alice"), "the owner is the external subject");
        Assert.That((await Send(HttpMethod.Delete, $"/notes/{note["id"]}", bob)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "object-level permission");
        Assert.That((await Send(HttpMethod.Delete, $"/notes/{note["id"]}", Tokens.Create("alice"))).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized),
            "a token the host's scheme does not accept is refused");
        Assert.That((await Send(HttpMethod.Delete, $"/notes/{note["id"]}", alice)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await client.GetAsync("/healthz")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await web.StopAsync();
    }
}
