using System.Text.Json.Nodes;
using LightS3.Changes;
using LightS3.Hosting;
using LightS3.Storage;
using LightS3.Tests.Support;

namespace LightS3.Tests.Changes;

/// <summary>Starts apps with the change feed endpoints, and reads feeds, for the tests of this folder.</summary>
public static class ChangeApps
{
    /// <summary>Short delays for tests that do not measure them: settle 1.2 s (entry budget 1.1 s), in-flight entries judged after 4 s.</summary>
    public static void Quick(ChangeFeedOptions o)
    {
        o.Settle = TimeSpan.FromMilliseconds(1200);
        o.MaxClockSkew = TimeSpan.FromMilliseconds(100);
        o.PendingTimeout = TimeSpan.FromSeconds(4);
        o.PollInterval = TimeSpan.FromMilliseconds(200);
    }

    /// <summary>An app serving /tasks, /chores, /letters and /bins, with JWTs from <see cref="Tokens"/> and background jobs off.</summary>
    public static Task<TestApp> StartAsync(TestStore store, Action<LightS3Options>? configure = null, string? location = null,
        Func<IObjectStore, IObjectStore>? wrapStore = null, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configureServices = null) =>
        TestApp.StartAsync(store, a => a.Register<TaskEndpoint>("/tasks").Register<ChorEndpoint>("/chores").Register<LetterEndpoint>("/letters").Register<BinEndpoint>("/bins"), o =>
        {
            o.Jwt.Secret = Tokens.Secret;
            o.Jwt.Issuer = Tokens.Issuer;
            o.Jwt.Audience = Tokens.Audience;
            o.GarbageCollectionInterval = TimeSpan.Zero;
            o.ExpirySweepInterval = TimeSpan.Zero;
            o.Changes.CleanupInterval = TimeSpan.Zero;
            configure?.Invoke(o);
        }, location, wrapStore, configureServices);

    /// <summary>Every entry of the feed at <paramref name="route"/> from <paramref name="since"/>, page by page, and the last cursor.</summary>
    public static async Task<(List<JsonObject> Changes, string? Next)> ReadAllAsync(HttpClient client, string route, string? since = null, string? token = null)
    {
        var all = new List<JsonObject>();
        while (true)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"{route}/_changes?limit=1000{(since is null ? "" : "&since=" + Uri.EscapeDataString(since))}");
            if (token is not null) request.Headers.Authorization = new("Bearer", token);
            var response = await client.SendAsync(request);
            var body = await response.JsonAsync();
            Assert.That((int)response.StatusCode, Is.EqualTo(200), body.ToJsonString());
            var page = body["changes"]!.AsArray().Select(n => n!.AsObject()).ToList();
            all.AddRange(page);
            var next = body["next"]?.GetValue<string>();
            if (page.Count == 0) return (all, next);
            since = next;
        }
    }

    /// <summary>Waits until the settle delay of <paramref name="options"/> has passed for everything written so far.</summary>
    public static Task SettleAsync(ChangeFeedOptions options) => Task.Delay(options.Settle + TimeSpan.FromMilliseconds(200));

    /// <summary>"{id}@{version}" of a feed entry.</summary>
    public static string Key(JsonObject change) => $"{change["id"]!.GetValue<string>()}@{change["version"]!.GetValue<long>()}";
}
