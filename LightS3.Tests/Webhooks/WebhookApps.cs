using LightS3.Hosting;
using LightS3.Jobs;
using LightS3.Tests.Support;
using LightS3.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Tests.Webhooks;

/// <summary>Starts apps on RGW that dispatch webhooks from a <see cref="ScriptedChanges"/> to a <see cref="WebhookReceiver"/>.</summary>
public static class WebhookApps
{
    /// <summary>The receiver's secret, in the Standard Webhooks form.</summary>
    public const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    public const string Collection = "books";

    public static Task<TestApp> StartAsync(IWebhookChangeSource? changes, WebhookReceiver receiver, string? location = null,
        Action<WebhookOptions>? configure = null, TimeSpan? lease = null, Action<LightS3App>? register = null) =>
        TestApp.StartAsync(TestStore.S3, register ?? (app => app.Register<BookEndpoint>("/books")), o =>
        {
            o.Jwt.Secret = Tokens.Secret;
            o.Jwt.Issuer = Tokens.Issuer;
            o.Jwt.Audience = Tokens.Audience;
            o.GarbageCollectionInterval = TimeSpan.Zero;
            o.ExpirySweepInterval = TimeSpan.Zero;
        }, location, configureServices: s =>
        {
            if (changes is not null) s.AddSingleton(changes);
            s.PostConfigure<WebhookOptions>(w =>
            {
                w.Targets = [new WebhookTarget { Name = "receiver", Url = receiver.Url, Secret = Secret }];
                w.PollInterval = TimeSpan.FromMilliseconds(100);
                w.FirstRetryDelay = TimeSpan.FromMilliseconds(100);
                w.MaxRetryDelay = TimeSpan.FromSeconds(1);
                w.MaxAttempts = 5;
                w.Timeout = TimeSpan.FromSeconds(5);
                configure?.Invoke(w);
            });
            s.PostConfigure<JobOptions>(j => j.LeaseDuration = lease ?? TimeSpan.FromSeconds(1.5));
        });

    /// <summary>Adds an admin's bearer token.</summary>
    public static void AsAdmin(HttpRequestMessage r) =>
        r.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Tokens.Create("admin", admin: true));
}
