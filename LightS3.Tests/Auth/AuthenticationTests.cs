using System.Net;
using System.Net.Http.Headers;
using LightS3.Model;
using LightS3.Tests.Support;

namespace LightS3.Tests.Auth;

/// <summary>Bad credentials are the point: every attack gets the exact status, and no data changes.</summary>
[TestFixture(TestStore.Memory)]
[TestFixture(TestStore.S3, Category = External.Category)]
public sealed class AuthenticationTests(TestStore store)
{
    private TestApp _app = null!;
    private string _id = "";

    [OneTimeSetUp]
    public async Task Start()
    {
        _app = await TestApp.StartAsync(store, a =>
        {
            a.Register<ArticleEndpoint>("/articles");
            a.Register<PrivateNoteEndpoint>("/notes");
        }, o =>
        {
            o.Jwt.Secret = Tokens.Secret;
            o.Jwt.Issuer = Tokens.Issuer;
            o.Jwt.Audience = Tokens.Audience;
        });
        _id = (await Send(HttpMethod.Post, "/articles", Tokens.Create("alice"), new { title = "original" }).JsonAsync())["id"]!.GetValue<string>();
    }

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, string? token, object? body = null, string scheme = "Bearer") =>
        _app.SendAsync(method, path, body, r =>
        {
            if (token is not null) r.Headers.Authorization = new AuthenticationHeaderValue(scheme, token);
        });

    private async Task AssertUnchanged()
    {
        var current = await (await _app.Client.GetAsync($"/articles/{_id}")).JsonAsync();
        Assert.That((current["title"]!.GetValue<string>(), current["version"]!.GetValue<long>()), Is.EqualTo(("original", 1L)), "no data changed");
    }

    public static IEnumerable<TestCaseData> BadTokens()
    {
        yield return new TestCaseData((Func<string?>)(() => null), "Bearer").SetArgDisplayNames("missing header");
        yield return new TestCaseData((Func<string?>)(() => "not-a-jwt"), "Bearer").SetArgDisplayNames("malformed token");
        yield return new TestCaseData((Func<string?>)(() => Tokens.Create("alice")), "Basic").SetArgDisplayNames("wrong scheme");
        yield return new TestCaseData((Func<string?>)(() => Tokens.Unsigned("alice")), "Bearer").SetArgDisplayNames("alg none");
        yield return new TestCaseData((Func<string?>)(() => Tokens.Create("alice", secret: "another-secret-that-is-long-enough-0123456789")), "Bearer").SetArgDisplayNames("wrong signature");
        yield return new TestCaseData((Func<string?>)(() => Tokens.Tampered("alice")), "Bearer").SetArgDisplayNames("tampered payload");
        yield return new TestCaseData((Func<string?>)(() => Tokens.Create("alice", expires: DateTime.UtcNow.AddMinutes(-5), notBefore: DateTime.UtcNow.AddMinutes(-10))), "Bearer").SetArgDisplayNames("expired");
        yield return new TestCaseData((Func<string?>)(() => Tokens.Create("alice", notBefore: DateTime.UtcNow.AddMinutes(5), expires: DateTime.UtcNow.AddMinutes(20))), "Bearer").SetArgDisplayNames("not yet valid");
        yield return new TestCaseData((Func<string?>)(() => Tokens.Create("alice", issuer: "https://evil.test")), "Bearer").SetArgDisplayNames("wrong issuer");
        yield return new TestCaseData((Func<string?>)(() => Tokens.Create("alice", audience: "someone-else")), "Bearer").SetArgDisplayNames("wrong audience");
    }

    [TestCaseSource(nameof(BadTokens))]
    public async Task A_write_with_bad_credentials_is_401_with_a_bearer_challenge_and_changes_nothing(Func<string?> token, string scheme)
    {
        var response = await Send(HttpMethod.Patch, $"/articles/{_id}", token(), new { title = "hacked", version = 1 }, scheme);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.Single().Scheme, Is.EqualTo("Bearer"));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(body, Does.Not.Contain(Tokens.Secret), "secrets never appear in responses");
        await AssertUnchanged();
    }

    [Test]
    public async Task A_post_without_credentials_is_401_and_creates_nothing()
    {
        var before = (await (await _app.Client.GetAsync("/articles")).JsonAsync())["results"]!.AsArray().Count;
        Assert.That(await Send(HttpMethod.Post, "/articles", null, new { title = "anon" }).StatusAsync(), Is.EqualTo(401));
        Assert.That((await (await _app.Client.GetAsync("/articles")).JsonAsync())["results"]!.AsArray(), Has.Count.EqualTo(before));
    }

    [Test]
    public async Task Reads_are_open_per_method_and_writes_need_a_valid_token()
    {
        Assert.That(await _app.Client.GetAsync($"/articles/{_id}").StatusAsync(), Is.EqualTo(200));
        var created = await Send(HttpMethod.Post, "/articles", Tokens.Create("bob"), new { title = "by bob" });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [Test]
    public async Task A_bad_token_on_an_open_read_is_still_401()
    {
        Assert.That(await Send(HttpMethod.Get, $"/articles/{_id}", Tokens.Tampered("alice")).StatusAsync(), Is.EqualTo(401));
    }

    [Test]
    public async Task Delete_needs_the_admin_claim_403_otherwise()
    {
        var id = (await Send(HttpMethod.Post, "/articles", Tokens.Create("bob"), new { title = "to delete" }).JsonAsync())["id"]!.GetValue<string>();
        var forbidden = await Send(HttpMethod.Delete, $"/articles/{id}", Tokens.Create("bob"));
        Assert.That(forbidden.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await forbidden.JsonAsync())["detail"]!.GetValue<string>(), Is.EqualTo("You do not have permission to perform this action."));
        Assert.That(await _app.Client.GetAsync($"/articles/{id}").StatusAsync(), Is.EqualTo(200));
        Assert.That(await Send(HttpMethod.Delete, $"/articles/{id}", Tokens.Create("root", admin: true)).StatusAsync(), Is.EqualTo(204));
    }

    [Test]
    public async Task Unauthenticated_callers_learn_nothing_about_ids()
    {
        Assert.That(await Send(HttpMethod.Delete, "/articles/not-a-uuid", null).StatusAsync(), Is.EqualTo(401));
        Assert.That(await Send(HttpMethod.Patch, $"/articles/{Guid.CreateVersion7()}", null, new { version = 1 }).StatusAsync(), Is.EqualTo(401));
    }

    [Test]
    public async Task User_a_cannot_patch_or_delete_user_bs_record()
    {
        var note = await Send(HttpMethod.Post, "/notes", Tokens.Create("bob"), new { text = "bob's" });
        var id = (await note.JsonAsync())["id"]!.GetValue<string>();
        Assert.That(await Send(HttpMethod.Patch, $"/notes/{id}", Tokens.Create("alice"), new { text = "alice was here", version = 1 }).StatusAsync(), Is.EqualTo(403));
        Assert.That(await Send(HttpMethod.Delete, $"/notes/{id}", Tokens.Create("alice")).StatusAsync(), Is.EqualTo(403));
        Assert.That(await Send(HttpMethod.Get, $"/notes/{id}", Tokens.Create("alice")).StatusAsync(), Is.EqualTo(403));
        var current = await (await Send(HttpMethod.Get, $"/notes/{id}", Tokens.Create("bob"))).JsonAsync();
        Assert.That((current["text"]!.GetValue<string>(), current["owner"]!.GetValue<string>()), Is.EqualTo(("bob's", "bob")));
        Assert.That(await Send(HttpMethod.Patch, $"/notes/{id}", Tokens.Create("bob"), new { text = "edited", version = 1 }).StatusAsync(), Is.EqualTo(200));
    }

    [Test]
    public async Task Hooks_see_the_caller_as_a_claims_principal()
    {
        var created = await (await Send(HttpMethod.Post, "/notes", Tokens.Create("carol"), new { text = "mine", owner = "someone-else" })).JsonAsync();
        Assert.That(created["owner"]!.GetValue<string>(), Is.EqualTo("carol"), "the hook stamped the token's subject");
    }
}

/// <summary>Key configuration (RS256, ES256, defaults, missing keys): each test builds its own app on the in-memory store.</summary>
public sealed class JwtKeyConfigurationTests
{
    [Test]
    public async Task Algorithm_confusion_against_an_rs256_key_is_401()
    {
        var (key, pem) = Tokens.Rsa();
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<ArticleEndpoint>("/articles"), o =>
        {
            o.Jwt.PublicKeyPem = pem;
            o.Jwt.Algorithm = "RS256";
        });
        async Task<int> Post(string token) => await app.SendAsync(HttpMethod.Post, "/articles", new { title = "x" },
            r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token)).StatusAsync();
        Assert.That(await Post(Tokens.CreateRs256(key, "alice")), Is.EqualTo(201), "a genuine RS256 token works");
        Assert.That(await Post(Tokens.HmacWithPublicKey(pem, "mallory")), Is.EqualTo(401), "HS256 signed with the public key is refused");
    }

    [Test]
    public async Task Es256_tokens_are_validated_with_an_ec_public_key()
    {
        using var ec = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<ArticleEndpoint>("/articles"), o =>
        {
            o.Jwt.PublicKeyPem = ec.ExportSubjectPublicKeyInfoPem();
            o.Jwt.Algorithm = "ES256";
        });
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["sub"] = "ec-user" },
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(new Microsoft.IdentityModel.Tokens.ECDsaSecurityKey(ec), "ES256"),
        });
        async Task<int> Post(string t) => await app.SendAsync(HttpMethod.Post, "/articles", new { title = "x" },
            r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", t)).StatusAsync();
        Assert.That(await Post(token), Is.EqualTo(201));
        Assert.That(await Post(Tokens.Create("ec-user")), Is.EqualTo(401), "an HS256 token is not accepted by an ES256 app");
    }

    [Test]
    public async Task An_app_wide_default_permission_protects_endpoints_that_declare_none()
    {
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<ReadOnlyEndpoint>("/things"), o =>
        {
            o.DefaultPermission = "IsAuthenticated";
            o.Jwt.Secret = Tokens.Secret;
        });
        Assert.That(await app.Client.GetAsync("/things").StatusAsync(), Is.EqualTo(401));
        Assert.That(await app.SendAsync(HttpMethod.Get, "/things", adjust: r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Create("a", issuer: "", audience: ""))).StatusAsync(), Is.EqualTo(200));
    }

    [TestCase(null, "no key is configured")]
    [TestCase("too-short", "too short")]
    public void Startup_fails_clearly_when_an_endpoint_needs_jwt_and_the_key_is_missing_or_weak(string? secret, string message)
    {
        var error = Assert.ThrowsAsync<ConfigurationException>(async () =>
        {
            await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<ArticleEndpoint>("/articles"), o => o.Jwt.Secret = secret);
        });
        Assert.That(error!.Message, Does.Contain(message));
        if (secret is not null) Assert.That(error.Message, Does.Not.Contain(secret), "the secret is never echoed");
    }
}
