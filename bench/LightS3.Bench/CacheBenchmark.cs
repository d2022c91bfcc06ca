using System.Globalization;
using System.Text;
using LightS3.Endpoints;
using LightS3.Hosting;
using LightS3.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LightS3.Bench;

/// <summary>A cached endpoint for the cache benchmark.</summary>
[Cache(Ttl = 600)]
public class CachedBook : RestEndpoint<CachedBook>
{
    public string Title { get; set; } = "";
    public string Author { get; set; } = "";
}

/// <summary>
/// Cached GET throughput of LightS3 (Redis hit) against a hand-written Minimal API that returns the same bytes
/// straight from the same Redis, in one run.
/// </summary>
public static class CacheBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 8;
        var workers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16;
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        var redisUrl = Environment.GetEnvironmentVariable("LIGHTS3_BENCH_REDIS") ?? "redis://127.0.0.1:6392/0";

        await using var lights3 = BenchApps.Create($"lights3-cbench-{DateTime.UtcNow:MMddHHmmss}", "", o =>
        {
            o.RedisUrl = redisUrl;
            o.StoreRequestHeader = false;
        });
        lights3.Register<CachedBook>("/books");
        await lights3.StartAsync();
        var counter = lights3.Services.GetRequiredService<RequestCounter>();

        // baseline: GET /books/{id} -> one Redis GET of precomputed bytes
        var mux = await ConnectionMultiplexer.ConnectAsync(LightS3.Caching.RedisResponseCache.ToConfiguration(redisUrl));
        var db = mux.GetDatabase();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var baseline = builder.Build();
        baseline.MapGet("/books/{id}", async (string id, HttpContext http) =>
        {
            var bytes = (byte[]?)await db.StringGetAsync($"bench:book:{id}");
            if (bytes is null) return Results.NotFound();
            return Results.Bytes(bytes, "application/json");
        });
        await baseline.StartAsync();

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = workers * 2 };
        using var light = new HttpClient(handler, false) { BaseAddress = new Uri(lights3.Urls[0]) };
        using var plain = new HttpClient(handler, false) { BaseAddress = new Uri(baseline.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

        var ids = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            var r = await light.PostAsync("/books", new StringContent($$"""{"title":"Book {{i}}","author":"A"}""", Encoding.UTF8, "application/json"));
            var body = await r.Content.ReadAsByteArrayAsync();
            var id = System.Text.Json.Nodes.JsonNode.Parse(body)!["id"]!.GetValue<string>();
            ids.Add(id);
            await db.StringSetAsync($"bench:book:{id}", await (await light.GetAsync($"/books/{id}")).Content.ReadAsByteArrayAsync());
        }
        foreach (var id in ids) await light.GetAsync($"/books/{id}"); // warm LightS3's cache

        var before = counter.Snapshot();
        var probe = await light.GetAsync($"/books/{ids[0]}");
        var hitRequests = counter.Snapshot().Minus(before).Total;
        var xcache = probe.Headers.GetValues("X-Cache").Single();

        async Task<bool> Get(HttpClient c, int i) => (await c.GetAsync($"/books/{ids[i % ids.Count]}")).IsSuccessStatusCode;
        await LoadGenerator.RunAsync(workers, TimeSpan.FromSeconds(2), i => Get(light, i));
        await LoadGenerator.RunAsync(workers, TimeSpan.FromSeconds(2), i => Get(plain, i));
        var l = new List<LoadGenerator.Result>();
        var b = new List<LoadGenerator.Result>();
        for (var round = 0; round < rounds; round++)
        {
            l.Add(await LoadGenerator.RunAsync(workers, TimeSpan.FromSeconds(seconds), i => Get(light, i)));
            b.Add(await LoadGenerator.RunAsync(workers, TimeSpan.FromSeconds(seconds), i => Get(plain, i)));
            Console.Error.WriteLine($"round {round}: LightS3 {l[^1].PerSecond:0} req/s, baseline {b[^1].PerSecond:0} req/s");
        }
        var lm = l.OrderBy(x => x.PerSecond).ElementAt(l.Count / 2);
        var bm = b.OrderBy(x => x.PerSecond).ElementAt(b.Count / 2);
        Console.WriteLine($"Cached GET by id, Redis hit ({workers} workers, {rounds} rounds of {seconds:0} s, median; {DateTime.UtcNow:yyyy-MM-dd}):");
        Console.WriteLine();
        Console.WriteLine("| | req/s | p50 / p99 ms | S3 requests per hit | failures |");
        Console.WriteLine("|---|---|---|---|---|");
        Console.WriteLine($"| LightS3 (X-Cache: {xcache}) | {lm.PerSecond:0} | {lm.P50Ms:0.0} / {lm.P99Ms:0.0} | {hitRequests} | {l.Sum(x => x.Failures)} |");
        Console.WriteLine($"| Minimal API, same bytes from the same Redis | {bm.PerSecond:0} | {bm.P50Ms:0.0} / {bm.P99Ms:0.0} | 0 | {b.Sum(x => x.Failures)} |");
        Console.WriteLine();
        Console.WriteLine($"Ratio: **{lm.PerSecond / bm.PerSecond:0.00}×**");
        await baseline.StopAsync();
        mux.Dispose();
    }
}
