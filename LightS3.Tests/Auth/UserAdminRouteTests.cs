using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using LightS3.Auth.Module;
using LightS3.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Tests.Auth;

/// <summary>
/// The auth module's admin-only user routes (the admin UI's Users screen): list, create, grant or withdraw admin, reset a
/// password. Non-admins are refused every one; the rules are those of registration and of <c>lights3 users</c>.
/// </summary>
public sealed class UserAdminRouteTests
{
    private const string Password = "correct horse 42";
    private const string Fresh = "battery staple 77";

    private static Task<TestApp> Start() => TestApp.StartAsync(TestStore.Memory, a => a.UseAuthModule(), o => o.Jwt.Secret = Tokens.Secret);

    private static Task<HttpResponseMessage> Send(TestApp app, HttpMethod method, string path, string? token, object? body = null) =>
        app.SendAsync(method, path, body, r =>
        {
            if (token is not null) r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        });

    private static async Task<(string Id, string Token)> User(TestApp app, string username, bool admin)
    {
        var registered = await app.PostAsync("/auth/register", new { username, email = $"{username}@example.com", password = Password });
        var id = (await registered.JsonAsync())["id"]!.GetValue<string>();
        if (admin) await app.App.Services.GetRequiredService<AuthService>().SetAdminAsync(id, true, CancellationToken.None);
        return (id, await Login(app, username, Password) ?? throw new AssertionException("login failed"));
    }

    private static async Task<string?> Login(TestApp app, string username, string password)
    {
        var login = await app.PostAsync("/auth/login", new { username, password });
        return login.StatusCode == HttpStatusCode.OK ? (await login.JsonAsync())["access_token"]!.GetValue<string>() : null;
    }

    [Test]
    public async Task Non_admins_are_refused_every_user_route_and_anonymous_callers_get_401()
    {
        await using var app = await Start();
        var (adminId, admin) = await User(app, "root", admin: true);
        var (_, visitor) = await User(app, "visitor", admin: false);
        var calls = new (HttpMethod Method, string Path, object? Body)[]
        {
            (HttpMethod.Get, "/auth/users", null),
            (HttpMethod.Post, "/auth/users", new { username = "x", email = "x@example.com", password = Fresh }),
            (HttpMethod.Put, $"/auth/users/{adminId}/admin", new { is_admin = false }),
            (HttpMethod.Post, $"/auth/users/{adminId}/password", new { new_password = Fresh }),
        };
        foreach (var (method, path, body) in calls)
        {
            Assert.That(await Send(app, method, path, visitor, body).StatusAsync(), Is.EqualTo(403), $"{method} {path} as a non-admin");
            Assert.That(await Send(app, method, path, null, body).StatusAsync(), Is.EqualTo(401), $"{method} {path} anonymous");
        }
        // positive control: the admin gets through the first one, and nothing above changed the admin
        Assert.That(await Send(app, HttpMethod.Get, "/auth/users", admin).StatusAsync(), Is.EqualTo(200));
        Assert.That(await Login(app, "root", Password), Is.Not.Null);
        Assert.That((await (await Send(app, HttpMethod.Get, "/auth/me", admin)).JsonAsync())["is_admin"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task An_admin_lists_creates_promotes_and_resets_the_password_of_users_with_the_registration_rules()
    {
        await using var app = await Start();
        var (_, admin) = await User(app, "root", admin: true);

        var weak = await Send(app, HttpMethod.Post, "/auth/users", admin, new { username = "carol", email = "carol@example.com", password = "short" });
        Assert.That(weak.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That((await weak.JsonAsync())["errors"]!["password"], Is.Not.Null);
        Assert.That(await Send(app, HttpMethod.Post, "/auth/users", admin, new { username = "carol", email = "c@example.com", password = Fresh, is_admin = "yes" }).StatusAsync(), Is.EqualTo(422));

        var created = await Send(app, HttpMethod.Post, "/auth/users", admin, new { username = "Carol", email = "carol@example.com", password = Fresh, is_admin = true });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var carol = await created.JsonAsync();
        Assert.That((carol["username"]!.GetValue<string>(), carol["is_admin"]!.GetValue<bool>()), Is.EqualTo(("carol", true)));
        Assert.That(carol["password_hash"], Is.Null, "only the public fields");
        Assert.That(await Send(app, HttpMethod.Post, "/auth/users", admin, new { username = "carol", email = "other@example.com", password = Fresh }).StatusAsync(), Is.EqualTo(409));

        var list = await (await Send(app, HttpMethod.Get, "/auth/users", admin)).JsonAsync();
        Assert.That(list["results"]!.AsArray().Select(u => u!["username"]!.GetValue<string>()), Is.EqualTo(new[] { "carol", "root" }));
        Assert.That(list.ToJsonString(), Does.Not.Contain("password_hash"));

        var id = carol["id"]!.GetValue<string>();
        var carolToken = await Login(app, "carol", Fresh);
        var demoted = await Send(app, HttpMethod.Put, $"/auth/users/{id}/admin", admin, new { is_admin = false });
        Assert.That((await demoted.JsonAsync())["is_admin"]!.GetValue<bool>(), Is.False);
        Assert.That(await Send(app, HttpMethod.Get, "/auth/users", carolToken).StatusAsync(), Is.EqualTo(403), "her live token follows the demotion");
        Assert.That(await Send(app, HttpMethod.Put, $"/auth/users/{id}/admin", admin, new { }).StatusAsync(), Is.EqualTo(422), "is_admin is required");

        Assert.That(await Send(app, HttpMethod.Post, $"/auth/users/{id}/password", admin, new { new_password = "short" }).StatusAsync(), Is.EqualTo(422));
        Assert.That(await Send(app, HttpMethod.Get, "/auth/me", carolToken).StatusAsync(), Is.EqualTo(200), "a refused reset changes nothing");
        Assert.That(await Send(app, HttpMethod.Post, $"/auth/users/{id}/password", admin, new { new_password = Password }).StatusAsync(), Is.EqualTo(204));
        Assert.That(await Send(app, HttpMethod.Get, "/auth/me", carolToken).StatusAsync(), Is.EqualTo(401), "a reset ends her sessions");
        Assert.That(await Login(app, "carol", Fresh), Is.Null, "the old password no longer works");
        Assert.That(await Login(app, "carol", Password), Is.Not.Null, "the new one does");
        Assert.That(await Send(app, HttpMethod.Post, $"/auth/users/{Guid.CreateVersion7()}/password", admin, new { new_password = Fresh }).StatusAsync(), Is.EqualTo(404));
    }
}
