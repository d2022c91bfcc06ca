using System.Globalization;
using System.Text.Json.Nodes;
using LightS3.Endpoints;
using LightS3.Model;
using LightS3.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Bench;

/// <summary>The referenced side of the expand benchmark.</summary>
public sealed class WriterEndpoint : RestEndpoint<WriterEndpoint>
{
    public string Name { get; set; } = "";
    public string Country { get; set; } = "";
}

/// <summary>Records that reference a writer, listed a page of 20 at a time.</summary>
[Pagination(PaginationStyle.Cursor, PageSize = 20, MaxPageSize = 100)]
public sealed class WorkEndpoint : RestEndpoint<WorkEndpoint>
{
    public string Title { get; set; } = "";
    [Ref(typeof(WriterEndpoint))] public string? Writer { get; set; }
}

/// <summary>The same records behind the Redis response cache: a warm page with expand costs S3 nothing.</summary>
[Pagination(PaginationStyle.Cursor, PageSize = 20, MaxPageSize = 100)]
[Cache(Ttl = 600)]
public sealed class CachedWorkEndpoint : RestEndpoint<CachedWorkEndpoint>
{
    public string Title { get; set; } = "";
    [Ref(typeof(WriterEndpoint))] public string? Writer { get; set; }
}

/// <summary>
/// Issue 14's expand measure on the S3 server: a page of 20 with <c>?expand=writer</c> against the same page without
/// expand — S3 requests of one cold request (a fresh app) and of a warm one, and latency p50/p99 under load; and the
/// same page on an endpoint with the Redis response cache (<c>LIGHTS3_BENCH_REDIS</c>, as scripts/bench.sh sets it).
/// <c>dotnet run -c Release --project bench/LightS3.Bench -- expand [works] [writers] [seconds-per-round]</c>
/// </summary>
public static class ExpandBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var works = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
        var writers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
        var seconds = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        var bucket = $"lights3-expand-{DateTime.UtcNow:MMddHHmmss}";

        var redis = Environment.GetEnvironmentVariable("LIGHTS3_BENCH_REDIS") ?? throw new InvalidOperationException("LIGHTS3_BENCH_REDIS unset: run via scripts/bench.sh");
        LightS3App Build(string bucket)
        {
            var app = BenchApps.Create(bucket, "lights3", o => o.RedisUrl = redis);
            app.Register("/writers", typeof(WriterEndpoint));
            app.Register("/works", typeof(WorkEndpoint));
            app.Register("/cached-works", typeof(CachedWorkEndpoint));
            return app;
        }

        // seed through the document store (stored as given: these bodies are valid), then stop: the measuring apps start cold
        var seeder = Build(bucket);
        await seeder.StartAsync();
        var documents = seeder.Services.GetRequiredService<IDocumentStore>();
        var writerIds = new string[writers];
        await Parallel.ForEachAsync(Enumerable.Range(0, writers), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            writerIds[i] = (await documents.For<WriterEndpoint>().InsertAsync(new JsonObject { ["name"] = $"Writer {i}", ["country"] = $"c{i % 7}" }, ct)).Id);
        await Parallel.ForEachAsync(Enumerable.Range(0, works), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        {
            await documents.For<WorkEndpoint>().InsertAsync(new JsonObject { ["title"] = $"Work {i}", ["writer"] = writerIds[i % writers] }, ct);
            await documents.For<CachedWorkEndpoint>().InsertAsync(new JsonObject { ["title"] = $"Work {i}", ["writer"] = writerIds[i % writers] }, ct);
        });
        await seeder.StopAsync();
        Console.Error.WriteLine($"seeded {writers} writers and {works} works");

        // S3 requests of one request each way, cold (fresh app per request kind) then warm (the same request again)
        async Task<(RequestCounts Cold, RequestCounts Warm, int Distinct)> CountAsync(string path)
        {
            var app = Build(bucket);
            await app.StartAsync();
            try
            {
                using var client = new HttpClient { BaseAddress = new Uri(app.Urls[0]) };
                var counter = app.Services.GetRequiredService<RequestCounter>();
                var before = counter.Snapshot();
                var page = JsonNode.Parse(await client.GetStringAsync(path))!;
                var cold = counter.Snapshot().Minus(before);
                before = counter.Snapshot();
                await client.GetStringAsync(path);
                var warm = counter.Snapshot().Minus(before);
                var distinct = page["results"]!.AsArray().Select(r => r!["writer"]!.GetValue<string>()).Distinct().Count();
                return (cold, warm, distinct);
            }
            finally
            {
                await app.StopAsync();
            }
        }
        var plainCounts = await CountAsync("/works");
        var expandCounts = await CountAsync("/works?expand=writer");
        var cachedCounts = await CountAsync("/cached-works?expand=writer");

        // latency under load, warm, alternating rounds; each request a different page start (cursor-free: first pages of filters would differ)
        var reader = Build(bucket);
        await reader.StartAsync();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri(reader.Urls[0]) };
        async Task<bool> Page(string path) => (await http.GetAsync(path)).IsSuccessStatusCode;
        await LoadGenerator.RunAsync(8, TimeSpan.FromSeconds(2), _ => Page("/works?expand=writer"));
        var plain = new List<LoadGenerator.Result>();
        var expanded = new List<LoadGenerator.Result>();
        var cached = new List<LoadGenerator.Result>();
        for (var r = 0; r < 3; r++)
        {
            plain.Add(await LoadGenerator.RunAsync(8, TimeSpan.FromSeconds(seconds), _ => Page("/works")));
            expanded.Add(await LoadGenerator.RunAsync(8, TimeSpan.FromSeconds(seconds), _ => Page("/works?expand=writer")));
            cached.Add(await LoadGenerator.RunAsync(8, TimeSpan.FromSeconds(seconds), _ => Page("/cached-works?expand=writer")));
            Console.Error.WriteLine($"page {plain[^1].PerSecond:0}/s p50 {plain[^1].P50Ms:0.0} ms, expanded {expanded[^1].PerSecond:0}/s p50 {expanded[^1].P50Ms:0.0} ms, cached {cached[^1].PerSecond:0}/s");
        }
        await reader.StopAsync();
        static LoadGenerator.Result Median(List<LoadGenerator.Result> l) => l.OrderBy(x => x.PerSecond).ElementAt(l.Count / 2);
        var p = Median(plain);
        var e = Median(expanded);
        var c = Median(cached);

        Console.WriteLine($"Expand, Ceph RGW, {works} works over {writers} writers, page of 20, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}.");
        Console.WriteLine();
        Console.WriteLine("| request | S3 requests, cold app | S3 requests, warm | distinct writers on the page |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| `GET /works` | {plainCounts.Cold.Total} ({plainCounts.Cold}) | {plainCounts.Warm.Total} ({plainCounts.Warm}) | {plainCounts.Distinct} |");
        Console.WriteLine($"| `GET /works?expand=writer` | {expandCounts.Cold.Total} ({expandCounts.Cold}) | {expandCounts.Warm.Total} ({expandCounts.Warm}) | {expandCounts.Distinct} |");
        Console.WriteLine($"| `GET /cached-works?expand=writer` (Redis response cache) | {cachedCounts.Cold.Total} ({cachedCounts.Cold}) | {cachedCounts.Warm.Total} ({cachedCounts.Warm}) | {cachedCounts.Distinct} |");
        Console.WriteLine();
        Console.WriteLine("| page of 20, warm, 8 workers | req/s (median of 3 rounds) | p50 / p99 ms | ratio |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| without expand | {p.PerSecond:0} | {p.P50Ms:0.0} / {p.P99Ms:0.0} | 1.00× |");
        Console.WriteLine($"| `?expand=writer` | {e.PerSecond:0} | {e.P50Ms:0.0} / {e.P99Ms:0.0} | **{e.PerSecond / p.PerSecond:0.00}×** |");
        Console.WriteLine($"| `?expand=writer`, Redis response cache | {c.PerSecond:0} | {c.P50Ms:0.0} / {c.P99Ms:0.0} | {c.PerSecond / p.PerSecond:0.00}× |");
    }

}
