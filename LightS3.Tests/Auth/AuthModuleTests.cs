using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LightS3.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Tests.Auth;

/// <summary>The S3-backed user and token service: registration, login, rotation, revocation, abuse.</summary>
[TestFixture(TestStore.Memory)]
[TestFixture(TestStore.S3, Category = External.Category)]
public sealed class AuthModuleTests(TestStore fixtureStore)
{
    private async Task<TestApp> Start(TestStore? store = null, int attempts = 100, string[]? trustedProxies = null, string[]? cors = null) =>
        await TestApp.StartAsync(store ?? fixtureStore, a =>
        {
            a.Register<ArticleEndpoint>("/articles");
            a.UseAuthModule();
        }, o =>
        {
            o.Jwt.Secret = Tokens.Secret;
            o.TrustedProxies = [.. trustedProxies ?? []];
            o.CorsOrigins = [.. cors ?? []];
        }, configureServices: s => s.Configure<LightS3.Auth.Module.AuthModuleOptions>(m => m.AttemptsPerWindow = attempts));

    private static Task<HttpResponseMessage> Post(TestApp app, string path, object body, string? token = null, string? forwardedFor = null) =>
        app.SendAsync(HttpMethod.Post, path, body, r =>
        {
            if (token is not null) r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (forwardedFor is not null) r.Headers.Add("X-Forwarded-For", forwardedFor);
        });

    private static async Task<JsonObject> Login(TestApp app, string user, string password = "correct horse 42")
    {
        var r = await Post(app, "/auth/login", new { username = user, password });
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK), await r.Content.ReadAsStringAsync());
        return await r.JsonAsync();
    }

    private static async Task Register(TestApp app, string user, string password = "correct horse 42") =>
        Assert.That(await Post(app, "/auth/register", new { username = user, email = $"{user}@example.com", password }).StatusAsync(), Is.EqualTo(201));

    private static Task<int> CreateArticle(TestApp app, string token) => Post(app, "/articles", new { title = "t" }, token).StatusAsync();

    [Test]
    public async Task Register_login_and_use_the_access_token()
    {
        await using var app = await Start();
        var created = await (await Post(app, "/auth/register", new { username = "Alice", email = "Alice@Example.com", password = "correct horse 42" })).JsonAsync();
        Assert.That((created["username"]!.GetValue<string>(), created["email"]!.GetValue<string>()), Is.EqualTo(("alice", "alice@example.com")));
        Assert.That(created.ContainsKey("password_hash"), Is.False);
        var tokens = await Login(app, "ALICE");
        Assert.That(tokens["token_type"]!.GetValue<string>(), Is.EqualTo("Bearer"));
        Assert.That(await CreateArticle(app, tokens["access_token"]!.GetValue<string>()), Is.EqualTo(201));
        var me = await (await app.SendAsync(HttpMethod.Get, "/auth/me", adjust: r => r.Headers.Authorization = new("Bearer", tokens["access_token"]!.GetValue<string>()))).JsonAsync();
        Assert.That(me["username"]!.GetValue<string>(), Is.EqualTo("alice"));
    }

    [Test]
    public async Task Passwords_are_stored_hashed_with_pbkdf2()
    {
        await using var app = await Start();
        await Register(app, "hashcheck");
        var users = await app.ObjectStore.ListAsync("auth-users/records/", null, 10);
        var stored = System.Text.Encoding.UTF8.GetString((await app.ObjectStore.GetAsync(users.Entries.Single().Key))!.Content.Span);
        Assert.That(stored, Does.Not.Contain("correct horse 42"));
        Assert.That(JsonNode.Parse(stored)!["password_hash"]!.GetValue<string>(), Has.Length.GreaterThan(60), "an Identity v3 PBKDF2 hash");
    }

    [TestCase("short1", "password", "at least 10 characters")]
    [TestCase("onlyletterslong", "password", "a digit")]
    [TestCase("bob-secret-123", "password", "must not contain the username")]
    public async Task A_weak_password_is_422(string password, string field, string message)
    {
        await using var app = await Start();
        var r = await Post(app, "/auth/register", new { username = "bob", email = "bob@example.com", password });
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That((await r.JsonAsync())["errors"]![field]!.AsArray().Select(x => x!.GetValue<string>()), Has.Some.Contains(message));
    }

    [Test]
    public async Task Usernames_and_emails_are_unique_without_a_scan()
    {
        await using var app = await Start();
        await Register(app, "carol");
        var dupName = await Post(app, "/auth/register", new { username = "Carol", email = "other@example.com", password = "correct horse 42" });
        Assert.That(dupName.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await dupName.JsonAsync())["errors"]!["username"], Is.Not.Null);
        var dupMail = await Post(app, "/auth/register", new { username = "carol2", email = "CAROL@example.com", password = "correct horse 42" });
        Assert.That((await dupMail.JsonAsync())["errors"]!["email"], Is.Not.Null);
    }

    [Test]
    public async Task Twenty_concurrent_registrations_of_one_username_have_one_winner()
    {
        await using var app = await Start();
        var statuses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Post(app, "/auth/register", new { username = "dave", email = $"dave{i}@example.com", password = "correct horse 42" }).StatusAsync()));
        Assert.That(statuses.Count(s => s == 201), Is.EqualTo(1), string.Join(",", statuses));
        Assert.That(statuses.Count(s => s == 409), Is.EqualTo(19));
    }

    [Test]
    public async Task Login_failures_do_not_reveal_whether_the_user_exists()
    {
        await using var app = await Start();
        await Register(app, "erin");
        var wrongPassword = await Post(app, "/auth/login", new { username = "erin", password = "not the password 1" });
        var unknownUser = await Post(app, "/auth/login", new { username = "nobody", password = "not the password 1" });
        Assert.That((wrongPassword.StatusCode, unknownUser.StatusCode), Is.EqualTo((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized)));
        Assert.That((await wrongPassword.JsonAsync())["detail"]!.GetValue<string>(), Is.EqualTo((await unknownUser.JsonAsync())["detail"]!.GetValue<string>()));
        // that both cost one PBKDF2 verification (so timing does not tell either) is pinned by
        // AuthModuleEdgeTests.An_unknown_user_login_verifies_a_password_hash_like_a_wrong_password_does
    }

    [Test]
    public async Task Refresh_rotates_and_reusing_a_rotated_token_revokes_the_whole_session()
    {
        await using var app = await Start();
        await Register(app, "frank");
        var first = await Login(app, "frank");
        var second = await (await Post(app, "/auth/refresh", new { refresh_token = first["refresh_token"]!.GetValue<string>() })).JsonAsync();
        Assert.That(second["refresh_token"]!.GetValue<string>(), Is.Not.EqualTo(first["refresh_token"]!.GetValue<string>()));
        Assert.That(await CreateArticle(app, second["access_token"]!.GetValue<string>()), Is.EqualTo(201));

        var replay = await Post(app, "/auth/refresh", new { refresh_token = first["refresh_token"]!.GetValue<string>() });
        Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await replay.JsonAsync())["detail"]!.GetValue<string>(), Does.Contain("reuse detected"));
        Assert.That(await Post(app, "/auth/refresh", new { refresh_token = second["refresh_token"]!.GetValue<string>() }).StatusAsync(), Is.EqualTo(401), "the family is revoked");
        Assert.That(await CreateArticle(app, second["access_token"]!.GetValue<string>()), Is.EqualTo(401), "and so are its access tokens");
        Assert.That(await CreateArticle(app, (await Login(app, "frank"))["access_token"]!.GetValue<string>()), Is.EqualTo(201), "other sessions are unaffected");
    }

    [TestCase("garbage")]
    [TestCase("0190b3f5-3c41-7d2b-9c3e-1f2a3b4c5d6e.AAAA")]
    public async Task A_forged_refresh_token_is_401(string token)
    {
        await using var app = await Start();
        Assert.That(await Post(app, "/auth/refresh", new { refresh_token = token }).StatusAsync(), Is.EqualTo(401));
    }

    [Test]
    public async Task Logout_revokes_the_session_for_refresh_and_access_tokens()
    {
        await using var app = await Start();
        await Register(app, "grace");
        var tokens = await Login(app, "grace");
        Assert.That(await Post(app, "/auth/logout", new { refresh_token = tokens["refresh_token"]!.GetValue<string>() }).StatusAsync(), Is.EqualTo(204));
        Assert.That(await Post(app, "/auth/refresh", new { refresh_token = tokens["refresh_token"]!.GetValue<string>() }).StatusAsync(), Is.EqualTo(401));
        Assert.That(await CreateArticle(app, tokens["access_token"]!.GetValue<string>()), Is.EqualTo(401));
    }

    [Test]
    public async Task An_admin_can_revoke_all_sessions_and_a_deleted_users_token_stops_working()
    {
        await using var app = await Start();
        await Register(app, "heidi");
        Assert.That(await app.Client.GetAsync("/auth/me").StatusAsync(), Is.EqualTo(401), "me needs a token");
        var tokens = await Login(app, "heidi");
        var access = tokens["access_token"]!.GetValue<string>();
        var id = (await (await app.SendAsync(HttpMethod.Get, "/auth/me", adjust: r => r.Headers.Authorization = new("Bearer", access))).JsonAsync())["id"]!.GetValue<string>();
        var admin = Tokens.Create("root", admin: true, issuer: "", audience: "");

        Assert.That(await Post(app, $"/auth/users/{id}/revoke-sessions", new { }, access).StatusAsync(), Is.EqualTo(403), "not for non-admins");
        Assert.That(await Post(app, $"/auth/users/{id}/revoke-sessions", new { }, admin).StatusAsync(), Is.EqualTo(204));
        Assert.That(await CreateArticle(app, access), Is.EqualTo(401));
        Assert.That(await Post(app, "/auth/refresh", new { refresh_token = tokens["refresh_token"]!.GetValue<string>() }).StatusAsync(), Is.EqualTo(401));

        var again = (await Login(app, "heidi"))["access_token"]!.GetValue<string>();
        Assert.That(await CreateArticle(app, again), Is.EqualTo(201));
        Assert.That(await app.SendAsync(HttpMethod.Delete, $"/auth/users/{id}", adjust: r => r.Headers.Authorization = new("Bearer", admin)).StatusAsync(), Is.EqualTo(204));
        Assert.That(await CreateArticle(app, again), Is.EqualTo(401), "token for a deleted user");
    }

    [Test]
    public async Task Brute_force_login_hits_the_rate_limit_and_spoofed_forwarded_for_does_not_help()
    {
        await using var app = await Start(attempts: 6);
        await Register(app, "ivan"); // registering counts too: 5 attempts left
        var statuses = new List<int>();
        for (var i = 0; i < 5; i++) statuses.Add(await Post(app, "/auth/login", new { username = "ivan", password = $"guess number {i}" }, forwardedFor: $"10.0.0.{i}").StatusAsync());
        var limited = await Post(app, "/auth/login", new { username = "ivan", password = "correct horse 42" }, forwardedFor: "10.9.9.9");
        Assert.That(statuses, Has.All.EqualTo(401), "wrong passwords");
        Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "an untrusted peer cannot choose its address with X-Forwarded-For");
        Assert.That(limited.Headers.RetryAfter, Is.Not.Null);
        Assert.That(limited.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task Behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit()
    {
        await using var app = await Start(attempts: 2, trustedProxies: ["127.0.0.1", "::1"]);
        Assert.That(await Post(app, "/auth/register", new { username = "judy", email = "judy@example.com", password = "correct horse 42" }, forwardedFor: "198.51.100.1").StatusAsync(), Is.EqualTo(201));
        for (var i = 0; i < 2; i++) await Post(app, "/auth/login", new { username = "judy", password = "wrong wrong 1" }, forwardedFor: "203.0.113.7");
        Assert.That(await Post(app, "/auth/login", new { username = "judy", password = "wrong wrong 1" }, forwardedFor: "203.0.113.7").StatusAsync(), Is.EqualTo(429));
        Assert.That(await Post(app, "/auth/login", new { username = "judy", password = "correct horse 42" }, forwardedFor: "203.0.113.8").StatusAsync(), Is.EqualTo(200));
    }

    [Test]
    public async Task Cors_allows_configured_origins_only()
    {
        await using var app = await Start(cors: ["https://app.example"]);
        HttpRequestMessage Preflight(string origin)
        {
            var r = new HttpRequestMessage(HttpMethod.Options, "/articles");
            r.Headers.Add("Origin", origin);
            r.Headers.Add("Access-Control-Request-Method", "POST");
            return r;
        }
        var allowed = await app.Client.SendAsync(Preflight("https://app.example"));
        Assert.That(allowed.Headers.GetValues("Access-Control-Allow-Origin").Single(), Is.EqualTo("https://app.example"));
        var denied = await app.Client.SendAsync(Preflight("https://evil.example"));
        Assert.That(denied.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
    }
}

/// <summary>Per-endpoint request limits.</summary>
public sealed class EndpointRateLimitTests
{
    [RateLimit(3, 60)]
    public class LimitedEndpoint : RestEndpoint<LimitedEndpoint>
    {
        public string Name { get; set; } = "";
    }

    [Test]
    public async Task An_endpoint_limit_answers_429_with_retry_after_and_spares_other_endpoints()
    {
        await using var app = await TestApp.StartAsync(TestStore.Memory, a =>
        {
            a.Register<LimitedEndpoint>("/limited");
            a.Register<ReadOnlyEndpoint>("/open");
        });
        var statuses = new List<int>();
        for (var i = 0; i < 4; i++) statuses.Add(await app.Client.GetAsync("/limited").StatusAsync());
        Assert.That(statuses, Is.EqualTo(new[] { 200, 200, 200, 429 }));
        var limited = await app.Client.GetAsync("/limited");
        Assert.That(limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds, Is.GreaterThan(0));
        Assert.That(await app.Client.GetAsync("/open").StatusAsync(), Is.EqualTo(200));
    }

    [Test]
    public void Yaml_can_declare_the_same_limit()
    {
        var config = LightS3.Yaml.Config.YamlConfigReader.Read("""
            endpoints:
              - route: /items
                fields: { name: { type: str } }
                meta: { rate_limit: { requests: 100, per_seconds: 60 } }
            """, "api.yaml", _ => null);
        Assert.That(config.Endpoints[0].Model.RateLimit, Is.EqualTo(new LightS3.Model.RateLimitSpec(100, TimeSpan.FromSeconds(60))));
    }
}
