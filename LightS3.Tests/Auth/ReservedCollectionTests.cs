using LightS3.Endpoints;
using LightS3.Model;
using LightS3.Tests.Support;

namespace LightS3.Tests.Auth;

/// <summary>The auth module's collections (users with password hashes, sessions, refresh tokens) cannot be served as endpoints.</summary>
public sealed class ReservedCollectionTests
{
    [Collection("auth-sessions")]
    public class SessionsPeek : RestEndpoint<SessionsPeek>
    {
        public string UserId { get; set; } = "";
    }

    [Collection("auth-refresh/records")]
    public class RefreshPeek : RestEndpoint<RefreshPeek>
    {
        public string SessionId { get; set; } = "";
    }

    public static IEnumerable<TestCaseData> Intrusions()
    {
        yield return new TestCaseData((Action<LightS3App>)(a => a.Register<ReadOnlyEndpoint>("/auth-users")), "auth-users").SetArgDisplayNames("route on the users");
        yield return new TestCaseData((Action<LightS3App>)(a => a.Register<SessionsPeek>("/peek")), "auth-sessions").SetArgDisplayNames("collection attribute on the sessions");
        yield return new TestCaseData((Action<LightS3App>)(a => a.Register<RefreshPeek>("/peek2")), "auth-refresh").SetArgDisplayNames("nested under the refresh tokens");
    }

    [TestCaseSource(nameof(Intrusions))]
    public void An_endpoint_on_an_auth_module_collection_is_refused_at_startup(Action<LightS3App> register, string collection)
    {
        foreach (var withModule in new[] { true, false })
        {
            var error = Assert.ThrowsAsync<ConfigurationException>(async () =>
            {
                await using var app = await TestApp.StartAsync(TestStore.Memory, a =>
                {
                    if (withModule) a.UseAuthModule();
                    register(a);
                }, o => o.Jwt.Secret = Tokens.Secret);
            }, withModule ? "with the module mapped" : "without the module (it may be mapped by another app on the same store)");
            Assert.That(error!.Message, Does.Contain(collection).IgnoreCase.And.Contain("reserved"));
        }
    }

    [Test]
    public async Task Similar_names_outside_the_reserved_collections_are_fine()
    {
        await using var app = await TestApp.StartAsync(TestStore.Memory, a =>
        {
            a.UseAuthModule();
            a.Register<ReadOnlyEndpoint>("/auth-users-archive");
            a.Register<ReadOnlyEndpoint>("/authors");
        }, o => o.Jwt.Secret = Tokens.Secret);
        Assert.That(await app.Client.GetAsync("/auth-users-archive").StatusAsync(), Is.EqualTo(200));
        Assert.That(await app.Client.GetAsync("/authors").StatusAsync(), Is.EqualTo(200));
    }
}
