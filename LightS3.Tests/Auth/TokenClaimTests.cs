using System.Net;
using System.Net.Http.Headers;
using LightS3.Tests.Support;

namespace LightS3.Tests.Auth;

/// <summary>
/// Claims are read with their JSON types: only <c>is_admin: true</c> makes an admin, <c>sub</c> is required,
/// <c>exp</c> must be a number, and a <c>sid</c> from another issuer (Keycloak, Entra ID, Auth0) is just a claim.
/// </summary>
[TestFixture(TestStore.Memory)]
[TestFixture(TestStore.S3, Category = External.Category)]
public sealed class TokenClaimTests(TestStore store)
{
    private TestApp _app = null!;

    [OneTimeSetUp]
    public async Task Start() =>
        _app = await TestApp.StartAsync(store, a => a.Register<ArticleEndpoint>("/articles"), o => o.Jwt.Secret = Tokens.Secret);

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    private static string Payload(string claims) => $"{{{claims},\"exp\":{Tokens.UnixTime(TimeSpan.FromMinutes(10))}}}";

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, string token, object? body = null) =>
        _app.SendAsync(method, path, body, r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token));

    private async Task<string> CreateArticle()
    {
        var created = await Send(HttpMethod.Post, "/articles", Tokens.Signed(Payload("\"sub\":\"writer\"")), new { title = "t" });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        return (await created.JsonAsync())["id"]!.GetValue<string>();
    }

    [TestCase("\"true\"")]
    [TestCase("\"True\"")]
    [TestCase("[\"true\"]")]
    [TestCase("[true]")]
    [TestCase("1")]
    [TestCase("{\"value\":true}")]
    public async Task Only_a_json_boolean_true_admin_claim_makes_an_admin(string adminValue)
    {
        var id = await CreateArticle();
        var pretender = Tokens.Signed(Payload($"\"sub\":\"mallory\",\"is_admin\":{adminValue}"));
        Assert.That(await Send(HttpMethod.Delete, $"/articles/{id}", pretender).StatusAsync(), Is.EqualTo(403));
        Assert.That(await _app.Client.GetAsync($"/articles/{id}").StatusAsync(), Is.EqualTo(200), "the record is still there");
        var admin = Tokens.Signed(Payload("\"sub\":\"root\",\"is_admin\":true"));
        Assert.That(await Send(HttpMethod.Delete, $"/articles/{id}", admin).StatusAsync(), Is.EqualTo(204), "a JSON true is an admin");
    }

    [TestCase("\"name\":\"nobody\"", "no subject", TestName = "no sub")]
    [TestCase("\"sub\":\"\"", "no subject", TestName = "empty sub")]
    [TestCase("\"sub\":42", "no subject", TestName = "numeric sub")]
    [TestCase("\"sub\":[\"a\",\"b\"]", "invalid token", TestName = "array sub (refused by the token library already)")]
    public async Task A_token_without_a_string_subject_is_401(string claims, string reason)
    {
        var response = await Send(HttpMethod.Post, "/articles", Tokens.Signed(Payload(claims)), new { title = "anonymous-ish" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.Single().Parameter, Does.Contain(reason));
    }

    [TestCase("\"exp\":\"9999999999\"", TestName = "string exp")]
    [TestCase("\"exp\":9999999999,\"nbf\":\"0\"", TestName = "string nbf")]
    [TestCase("\"exp\":9999999999,\"iat\":\"0\"", TestName = "string iat")]
    public async Task A_time_claim_that_is_not_a_number_is_401(string times)
    {
        var response = await Send(HttpMethod.Post, "/articles", Tokens.Signed($"{{\"sub\":\"alice\",{times}}}"), new { title = "t" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await Send(HttpMethod.Post, "/articles", Tokens.Signed("{\"sub\":\"alice\",\"exp\":9999999999,\"nbf\":0,\"iat\":0}"), new { title = "t" }).StatusAsync(),
            Is.EqualTo(201), "the same token with numeric times is fine");
    }

    [Test]
    public async Task A_foreign_token_with_a_sid_claim_is_not_an_auth_module_session_under_hs256()
    {
        var keycloakLike = Tokens.Signed(Payload($"\"sub\":\"{Guid.NewGuid()}\",\"sid\":\"{Guid.NewGuid()}\""));
        Assert.That(await Send(HttpMethod.Post, "/articles", keycloakLike, new { title = "from an IdP" }).StatusAsync(), Is.EqualTo(201));
    }
}

/// <summary>An app that validates an identity provider's RS256 tokens (no auth module).</summary>
public sealed class ForeignSessionTokenTests
{
    [Test]
    public async Task A_foreign_rs256_token_with_a_sid_claim_works_and_leaves_health_and_other_routes_alone()
    {
        var (key, pem) = Tokens.Rsa();
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<ArticleEndpoint>("/articles"), o =>
        {
            o.Jwt.PublicKeyPem = pem;
            o.Jwt.Algorithm = "RS256";
        });
        var token = Tokens.CreateRs256(key, "kc-user", new Dictionary<string, object> { ["sid"] = Guid.NewGuid().ToString() });
        void Bearer(HttpRequestMessage r) => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.That(await app.SendAsync(HttpMethod.Get, "/healthz", adjust: Bearer).StatusAsync(), Is.EqualTo(200));
        Assert.That(await app.SendAsync(HttpMethod.Get, "/articles", adjust: Bearer).StatusAsync(), Is.EqualTo(200));
        Assert.That(await app.SendAsync(HttpMethod.Post, "/articles", new { title = "x" }, Bearer).StatusAsync(), Is.EqualTo(201));
    }
}
