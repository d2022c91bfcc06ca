using System.Net;
using System.Net.Http.Headers;
using LightS3.Auth.Module;
using LightS3.Tests.Files;
using LightS3.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Tests.Auth;

/// <summary>Per-account login throttling, next to the per-address limit: failures from any address count against the account.</summary>
public sealed class AccountThrottleTests
{
    private const string Password = "correct horse 42";
    private const int Limit = 3;

    /// <summary>Every request may come from its own address (X-Forwarded-For from a trusted loopback proxy); the per-address limit is out of the way.</summary>
    private static Task<TestApp> Start(TimeProvider? clock = null, IPasswordHasher<AuthUser>? hasher = null) =>
        TestApp.StartAsync(TestStore.Memory, a => a.UseAuthModule(), o =>
        {
            o.Jwt.Secret = Tokens.Secret;
            o.TrustedProxies = ["127.0.0.1", "::1"];
        }, configureServices: s =>
        {
            s.Configure<AuthModuleOptions>(m =>
            {
                m.AttemptsPerWindow = 1000;
                m.FailedLoginsPerAccount = Limit;
                m.FailedLoginWindow = TimeSpan.FromMinutes(15);
            });
            if (clock is not null) s.AddSingleton(clock);
            if (hasher is not null) s.AddSingleton(hasher);
        });

    private static int _address;

    private static Task<HttpResponseMessage> Post(TestApp app, string path, object body, string? token = null) =>
        app.SendAsync(HttpMethod.Post, path, body, r =>
        {
            r.Headers.Add("X-Forwarded-For", $"198.51.100.{Interlocked.Increment(ref _address) % 250 + 1}"); // a new address each time
            if (token is not null) r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        });

    private static Task<HttpResponseMessage> Login(TestApp app, string user, string password) =>
        Post(app, "/auth/login", new { username = user, password });

    private static async Task Register(TestApp app, string user) =>
        Assert.That(await Post(app, "/auth/register", new { username = user, email = $"{user}@example.com", password = Password }).StatusAsync(), Is.EqualTo(201));

    private static async Task Fail(TestApp app, string user, int times)
    {
        for (var i = 0; i < times; i++)
            Assert.That(await Login(app, user, $"guess number {i}").StatusAsync(), Is.EqualTo(401), $"failure {i + 1} of {user}");
    }

    [Test]
    public async Task Failures_from_many_addresses_throttle_the_account_even_for_the_right_password_and_spare_other_accounts()
    {
        await using var app = await Start();
        await Register(app, "kate");
        await Register(app, "liam");
        await Fail(app, "kate", Limit);

        var limited = await Login(app, "kate", Password);
        Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(limited.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((await limited.JsonAsync())["detail"]!.GetValue<string>(), Does.Contain("this account"));
        Assert.That(limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds, Is.InRange(1, 15 * 60));

        Assert.That(await Login(app, "LIAM", Password).StatusAsync(), Is.EqualTo(200), "another account");
        Assert.That(await Login(app, " Kate ", Password).StatusAsync(), Is.EqualTo(429), "the same account however it is spelled");
    }

    [Test]
    public async Task An_unknown_username_is_throttled_like_a_real_one()
    {
        await using var app = await Start();
        await Fail(app, "nobody-here", Limit);
        Assert.That(await Login(app, "nobody-here", Password).StatusAsync(), Is.EqualTo(429), "a 429 does not tell that the account exists");
    }

    [Test]
    public async Task The_throttle_lifts_when_the_window_ends()
    {
        var clock = new ShiftedTime();
        await using var app = await Start(clock);
        await Register(app, "mona");
        await Fail(app, "mona", Limit);
        Assert.That(await Login(app, "mona", Password).StatusAsync(), Is.EqualTo(429));
        clock.Offset = TimeSpan.FromMinutes(14);
        Assert.That(await Login(app, "mona", Password).StatusAsync(), Is.EqualTo(429), "still inside the window");
        clock.Offset = TimeSpan.FromMinutes(15);
        Assert.That(await Login(app, "mona", Password).StatusAsync(), Is.EqualTo(200), "the window has ended");
    }

    [Test]
    public async Task A_successful_login_clears_the_failures()
    {
        await using var app = await Start();
        await Register(app, "nina");
        await Fail(app, "nina", Limit - 1);
        Assert.That(await Login(app, "nina", Password).StatusAsync(), Is.EqualTo(200));
        await Fail(app, "nina", Limit); // without the reset the last of these would already be 429
        Assert.That(await Login(app, "nina", Password).StatusAsync(), Is.EqualTo(429), "the count starts again from zero, and still ends in the throttle");
    }

    /// <summary>Holds every verification until released, and signals each one that arrives.</summary>
    private sealed class GatedHasher : IPasswordHasher<AuthUser>
    {
        private readonly PasswordHasher<AuthUser> _inner = new();
        private readonly ManualResetEventSlim _release = new();
        public readonly SemaphoreSlim Progress = new(0);
        public bool Armed;
        public int Entered;

        public string HashPassword(AuthUser user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(AuthUser user, string hashedPassword, string providedPassword)
        {
            if (Armed)
            {
                Interlocked.Increment(ref Entered);
                Progress.Release();
                _release.Wait(TimeSpan.FromSeconds(60)); // a safety net only: the test releases it
            }
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }

        public void Release() => _release.Set();
    }

    [Test]
    public async Task Parallel_guesses_cannot_pass_the_limit_together()
    {
        var hasher = new GatedHasher();
        await using var app = await Start(hasher: hasher);
        await Register(app, "otto");
        hasher.Armed = true;
        var guesses = Enumerable.Range(0, 20).Select(async i =>
        {
            var status = await Login(app, "otto", $"parallel guess {i}").StatusAsync();
            hasher.Progress.Release();
            return status;
        }).ToArray();
        try
        {
            // while the first guesses are held inside the verification, the rest must already be refused
            while (guesses.Count(g => g.IsCompleted) < 20 - Limit && Volatile.Read(ref hasher.Entered) <= Limit)
                Assert.That(await hasher.Progress.WaitAsync(TimeSpan.FromSeconds(60)), Is.True, "no progress");
            Assert.That(Volatile.Read(ref hasher.Entered), Is.EqualTo(Limit), "only the allowed number of guesses reach the hash");
        }
        finally
        {
            hasher.Release();
        }
        var statuses = await Task.WhenAll(guesses);
        Assert.That(statuses.Count(s => s == 401), Is.EqualTo(Limit));
        Assert.That(statuses.Count(s => s == 429), Is.EqualTo(20 - Limit));
    }

    [Test]
    public async Task Wrong_current_passwords_at_password_change_count_against_the_account()
    {
        await using var app = await Start();
        await Register(app, "pia");
        var token = (await (await Login(app, "pia", Password)).JsonAsync())["access_token"]!.GetValue<string>();
        for (var i = 0; i < Limit; i++)
            Assert.That(await Post(app, "/auth/password", new { current_password = $"guess number {i}", new_password = "battery staple 77" }, token).StatusAsync(), Is.EqualTo(403));
        var limited = await Post(app, "/auth/password", new { current_password = Password, new_password = "battery staple 77" }, token);
        Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "a stolen access token cannot guess the password unthrottled");
        Assert.That(limited.Headers.RetryAfter, Is.Not.Null);
        Assert.That(await Login(app, "pia", Password).StatusAsync(), Is.EqualTo(429), "one count per account, shared with login");
    }

    [TestCase(0, 15)]
    [TestCase(3, 0)]
    public void A_limit_below_one_or_an_empty_window_is_a_configuration_error(int limit, int minutes)
    {
        var e = Assert.ThrowsAsync<LightS3.Model.ConfigurationException>(async () =>
        {
            await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.UseAuthModule(), o => o.Jwt.Secret = Tokens.Secret,
                configureServices: s => s.Configure<AuthModuleOptions>(m =>
                {
                    m.FailedLoginsPerAccount = limit;
                    m.FailedLoginWindow = TimeSpan.FromMinutes(minutes);
                }));
        });
        Assert.That(e!.Message, Does.Contain("FailedLoginsPerAccount"));
    }
}
