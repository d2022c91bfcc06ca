using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LightS3.Auth.Module;
using LightS3.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace LightS3.Tests.Auth;

/// <summary>The auth module's edges: which tokens are its sessions, live admin rights, exact revocation, challenges, bad input.</summary>
[TestFixture(TestStore.Memory)]
[TestFixture(TestStore.S3, Category = External.Category)]
public sealed class AuthModuleEdgeTests(TestStore store)
{
    private const string Password = "correct horse 42";

    /// <summary>Counts what the module asks of its password hasher.</summary>
    private sealed class CountingHasher : IPasswordHasher<AuthUser>
    {
        private readonly PasswordHasher<AuthUser> _inner = new();
        public int Verifications;

        public string HashPassword(AuthUser user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(AuthUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref Verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    private Task<TestApp> Start(CapturingLoggerProvider? logs = null, CountingHasher? hasher = null) =>
        TestApp.StartAsync(store, a =>
        {
            a.Register<ArticleEndpoint>("/articles");
            a.UseAuthModule();
        }, o => o.Jwt.Secret = Tokens.Secret, configureServices: s =>
        {
            if (logs is not null) s.AddSingleton<ILoggerProvider>(logs);
            if (hasher is not null) s.AddSingleton<IPasswordHasher<AuthUser>>(hasher);
        });

    private static Task<HttpResponseMessage> Send(TestApp app, HttpMethod method, string path, object? body = null, string? token = null) =>
        app.SendAsync(method, path, body, r =>
        {
            if (token is not null) r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        });

    private static async Task<string> Register(TestApp app, string user)
    {
        var r = await Send(app, HttpMethod.Post, "/auth/register", new { username = user, email = $"{user}@example.com", password = Password });
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.Created), await r.Content.ReadAsStringAsync());
        return (await r.JsonAsync())["id"]!.GetValue<string>();
    }

    private static async Task<string> Login(TestApp app, string user)
    {
        var r = await Send(app, HttpMethod.Post, "/auth/login", new { username = user, password = Password });
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK), await r.Content.ReadAsStringAsync());
        return (await r.JsonAsync())["access_token"]!.GetValue<string>();
    }

    private static JsonObject PayloadOf(string token) => JsonNode.Parse(Base64UrlEncoder.Decode(token.Split('.')[1]))!.AsObject();

    private static Task<int> CreateArticle(TestApp app, string token) => Send(app, HttpMethod.Post, "/articles", new { title = "t" }, token).StatusAsync();

    [Test]
    public async Task Module_tokens_carry_their_own_session_claim_and_a_foreign_sid_is_not_checked_as_a_session()
    {
        await using var app = await Start();
        await Register(app, "idp");
        var payload = PayloadOf(await Login(app, "idp"));
        Assert.That(payload.ContainsKey(AuthService.SessionClaim), Is.True, "module tokens are marked");
        Assert.That(payload.ContainsKey("sid"), Is.False);

        var foreign = Tokens.Create(Guid.NewGuid().ToString(), issuer: "", audience: "", extra: new Dictionary<string, object> { ["sid"] = Guid.NewGuid().ToString() });
        Assert.That(await CreateArticle(app, foreign), Is.EqualTo(201), "an identity provider's sid is not a module session");
    }

    [Test]
    public async Task A_demoted_admin_loses_admin_rights_on_the_next_request()
    {
        await using var app = await Start();
        var bossId = await Register(app, "boss");
        var victimId = await Register(app, "victim");
        var module = app.App.Services.GetRequiredService<AuthService>();
        await module.SetAdminAsync(bossId, true, CancellationToken.None);
        var token = await Login(app, "boss");
        var article = (await (await Send(app, HttpMethod.Post, "/articles", new { title = "t" }, token)).JsonAsync())["id"]!.GetValue<string>();
        Assert.That(await Send(app, HttpMethod.Post, $"/auth/users/{victimId}/revoke-sessions", new { }, token).StatusAsync(), Is.EqualTo(204), "an admin");

        await module.SetAdminAsync(bossId, false, CancellationToken.None);
        Assert.That(await Send(app, HttpMethod.Post, $"/auth/users/{victimId}/revoke-sessions", new { }, token).StatusAsync(), Is.EqualTo(403), "demoted: module route");
        Assert.That(await Send(app, HttpMethod.Delete, $"/articles/{article}", token: token).StatusAsync(), Is.EqualTo(403), "demoted: IsAdminUser endpoint");
        Assert.That(await CreateArticle(app, token), Is.EqualTo(201), "still a valid user");

        await module.SetAdminAsync(bossId, true, CancellationToken.None);
        Assert.That(await Send(app, HttpMethod.Delete, $"/articles/{article}", token: token).StatusAsync(), Is.EqualTo(204), "promoted again: at once");
    }

    [Test]
    public async Task A_login_right_after_revoke_all_sessions_gets_working_tokens()
    {
        await using var app = await Start();
        var id = await Register(app, "quick");
        var before = await Login(app, "quick");
        var admin = Tokens.Create("root", admin: true, issuer: "", audience: "");
        Assert.That(await Send(app, HttpMethod.Post, $"/auth/users/{id}/revoke-sessions", new { }, admin).StatusAsync(), Is.EqualTo(204));
        Assert.That(await CreateArticle(app, before), Is.EqualTo(401), "sessions before the revocation are dead");

        var after = await Login(app, "quick"); // same second as the revocation: no waiting
        Assert.That(await CreateArticle(app, after), Is.EqualTo(201), "a session after the revocation is alive");
    }

    [Test]
    public async Task The_modules_401_responses_carry_a_bearer_challenge()
    {
        await using var app = await Start();
        await Register(app, "chal");
        var responses = new Dictionary<string, HttpResponseMessage>
        {
            ["me without a token"] = await Send(app, HttpMethod.Get, "/auth/me"),
            ["me with a bad token"] = await Send(app, HttpMethod.Get, "/auth/me", token: Tokens.Tampered("chal")),
            ["logout without a token"] = await Send(app, HttpMethod.Post, "/auth/logout"),
            ["wrong password"] = await Send(app, HttpMethod.Post, "/auth/login", new { username = "chal", password = "wrong password 1" }),
            ["forged refresh token"] = await Send(app, HttpMethod.Post, "/auth/refresh", new { refresh_token = "garbage" }),
            ["admin route without a token"] = await Send(app, HttpMethod.Delete, $"/auth/users/{Guid.CreateVersion7()}"),
        };
        foreach (var (what, response) in responses)
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), what);
            Assert.That(response.Headers.WwwAuthenticate.Select(h => h.Scheme), Is.EqualTo(new[] { "Bearer" }), what);
        }
        Assert.That(responses["me with a bad token"].Headers.WwwAuthenticate.Single().Parameter, Does.Contain("invalid_token"));
    }

    [TestCase("not-a-uuid")]
    [TestCase("../../etc/passwd")]
    public async Task Me_with_a_validly_signed_token_whose_subject_is_not_a_user_id_is_401(string subject)
    {
        await using var app = await Start();
        var response = await Send(app, HttpMethod.Get, "/auth/me", token: Tokens.Create(subject, issuer: "", audience: ""));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.WwwAuthenticate.Single().Scheme, Is.EqualTo("Bearer"));
    }

    public static IEnumerable<TestCaseData> InvalidUnicodeBodies()
    {
        foreach (var path in new[] { "/auth/register", "/auth/login" })
        {
            yield return new TestCaseData(path, Encoding.UTF8.GetBytes("{\"username\":\"\\ud800\",\"email\":\"a@example.com\",\"password\":\"correct horse 42\"}"))
                .SetArgDisplayNames(path, "lone surrogate escape in username");
            yield return new TestCaseData(path, Encoding.UTF8.GetBytes("{\"username\":\"uni\",\"email\":\"a@example.com\",\"password\":\"abc\\udfff123456789\"}"))
                .SetArgDisplayNames(path, "lone low surrogate escape in password");
            yield return new TestCaseData(path, (byte[])[.. Encoding.UTF8.GetBytes("{\"username\":\"uni"), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\",\"email\":\"a@example.com\",\"password\":\"correct horse 42\"}")])
                .SetArgDisplayNames(path, "invalid UTF-8 bytes in username");
            yield return new TestCaseData(path, (byte[])[.. Encoding.UTF8.GetBytes("{\"username\":\"uni\",\"email\":\"a@example.com\",\"password\":\"correct "), 0xFF, 0xFE, .. Encoding.UTF8.GetBytes("horse 42\"}")])
                .SetArgDisplayNames(path, "invalid UTF-8 bytes in password");
        }
    }

    [TestCaseSource(nameof(InvalidUnicodeBodies))]
    public async Task Invalid_unicode_in_a_credentials_body_is_a_client_error_not_a_logged_500(string path, byte[] body)
    {
        var logs = new CapturingLoggerProvider();
        await using var app = await Start(logs);
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var response = await app.Client.PostAsync(path, content);
        Assert.That((int)response.StatusCode, Is.AnyOf(400, 422), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((await response.JsonAsync())["detail"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(logs.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => e.Message), Is.Empty);
    }

    [Test]
    public async Task An_unknown_user_login_verifies_a_password_hash_like_a_wrong_password_does()
    {
        var hasher = new CountingHasher();
        await using var app = await Start(hasher: hasher);
        await Register(app, "timing");

        hasher.Verifications = 0;
        Assert.That(await Send(app, HttpMethod.Post, "/auth/login", new { username = "timing", password = "not the password 1" }).StatusAsync(), Is.EqualTo(401));
        Assert.That(hasher.Verifications, Is.EqualTo(1), "a wrong password is verified against the user's hash");

        hasher.Verifications = 0;
        Assert.That(await Send(app, HttpMethod.Post, "/auth/login", new { username = "nobody-at-all", password = "not the password 1" }).StatusAsync(), Is.EqualTo(401));
        Assert.That(hasher.Verifications, Is.EqualTo(1), "an unknown user costs the same PBKDF2 verification (dummy hash), so timing does not tell");
    }
}
