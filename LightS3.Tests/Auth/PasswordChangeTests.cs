using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using LightS3.Tests.Support;

namespace LightS3.Tests.Auth;

/// <summary><c>POST /auth/password</c>: the current password proves the caller, the new one follows the policy, every session ends.</summary>
[TestFixture(TestStore.Memory)]
[TestFixture(TestStore.S3, Category = External.Category)]
public sealed class PasswordChangeTests(TestStore store)
{
    private const string Old = "correct horse 42";
    private const string New = "battery staple 77";

    private Task<TestApp> Start() => TestApp.StartAsync(store, a => a.UseAuthModule(), o => o.Jwt.Secret = Tokens.Secret);

    private static Task<HttpResponseMessage> Post(TestApp app, string path, object body, string? token = null) =>
        app.SendAsync(HttpMethod.Post, path, body, r =>
        {
            if (token is not null) r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        });

    private static async Task Register(TestApp app, string user) =>
        Assert.That(await Post(app, "/auth/register", new { username = user, email = $"{user}@example.com", password = Old }).StatusAsync(), Is.EqualTo(201));

    private static async Task<JsonObject> Login(TestApp app, string user, string password = Old)
    {
        var r = await Post(app, "/auth/login", new { username = user, password });
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK), await r.Content.ReadAsStringAsync());
        return await r.JsonAsync();
    }

    private static string Access(JsonObject pair) => pair["access_token"]!.GetValue<string>();

    private static Task<int> Me(TestApp app, string token) =>
        app.SendAsync(HttpMethod.Get, "/auth/me", adjust: r => r.Headers.Authorization = new("Bearer", token)).StatusAsync();

    [Test]
    public async Task A_password_change_ends_every_session_of_the_user_and_answers_a_pair_of_a_new_one()
    {
        await using var app = await Start();
        await Register(app, "carol");
        await Register(app, "dave");
        var current = await Login(app, "carol");
        var other = await Login(app, "carol");
        var bystander = await Login(app, "dave");
        foreach (var token in new[] { Access(current), Access(other), Access(bystander) })
            Assert.That(await Me(app, token), Is.EqualTo(200), "every session is live before the change");

        var changed = await Post(app, "/auth/password", new { current_password = Old, new_password = New }, Access(current));
        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await changed.Content.ReadAsStringAsync());
        var fresh = await changed.JsonAsync();

        Assert.That(await Me(app, Access(other)), Is.EqualTo(401), "another session of the user");
        Assert.That(await Me(app, Access(current)), Is.EqualTo(401), "the session that changed the password");
        Assert.That(await Post(app, "/auth/refresh", new { refresh_token = other["refresh_token"]!.GetValue<string>() }).StatusAsync(), Is.EqualTo(401), "another session's refresh token");
        Assert.That(await Me(app, Access(fresh)), Is.EqualTo(200), "the pair in the answer");
        Assert.That(await Post(app, "/auth/refresh", new { refresh_token = fresh["refresh_token"]!.GetValue<string>() }).StatusAsync(), Is.EqualTo(200));
        Assert.That(await Me(app, Access(bystander)), Is.EqualTo(200), "another user's session is untouched");

        Assert.That(await Post(app, "/auth/login", new { username = "carol", password = Old }).StatusAsync(), Is.EqualTo(401), "the old password");
        Assert.That(await Me(app, Access(await Login(app, "carol", New))), Is.EqualTo(200), "the new password");
    }

    [Test]
    public async Task A_wrong_current_password_is_403_and_changes_nothing()
    {
        await using var app = await Start();
        await Register(app, "erin");
        var pair = await Login(app, "erin");
        var r = await Post(app, "/auth/password", new { current_password = "not the password 1", new_password = New }, Access(pair));
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(r.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        var problem = await r.JsonAsync();
        Assert.That(problem["detail"]!.GetValue<string>(), Is.EqualTo("the current password is incorrect"));
        Assert.That(problem["errors"]!["current_password"], Is.Not.Null);
        Assert.That(await Me(app, Access(pair)), Is.EqualTo(200), "the session lives on");
        await Login(app, "erin", Old);
        Assert.That(await Post(app, "/auth/login", new { username = "erin", password = New }).StatusAsync(), Is.EqualTo(401));
    }

    [TestCase("short1", "at least 10 characters")]
    [TestCase("onlyletterslong", "a digit")]
    [TestCase("frank-secret-123", "must not contain the username")]
    public async Task A_weak_new_password_is_422_by_the_registration_policy(string weak, string message)
    {
        await using var app = await Start();
        await Register(app, "frank");
        var pair = await Login(app, "frank");
        var r = await Post(app, "/auth/password", new { current_password = Old, new_password = weak }, Access(pair));
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That((await r.JsonAsync())["errors"]!["new_password"]!.AsArray().Select(x => x!.GetValue<string>()), Has.Some.Contains(message));
        Assert.That(await Me(app, Access(pair)), Is.EqualTo(200), "nothing changed");
        await Login(app, "frank", Old);
    }

    [Test]
    public async Task Without_a_token_it_is_401_and_without_a_field_422()
    {
        await using var app = await Start();
        await Register(app, "gina");
        var anonymous = await Post(app, "/auth/password", new { current_password = Old, new_password = New });
        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(anonymous.Headers.WwwAuthenticate.Single().Scheme, Is.EqualTo("Bearer"));
        var token = Access(await Login(app, "gina"));
        var missing = await Post(app, "/auth/password", new { current_password = Old }, token);
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That((await missing.JsonAsync())["errors"]!["new_password"], Is.Not.Null);
        await Login(app, "gina", Old);
    }
}
