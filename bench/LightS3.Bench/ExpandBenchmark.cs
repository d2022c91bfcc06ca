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

/// <summary>
/// Issue 14's expand measure on the S3 server: a page of 20 with <c>?expand=writer</c> against the same page without
/// expand — S3 requests of one cold request (a fresh app) and of a warm one, and latency p50/p99 under load.
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

        static LightS3App Build(string bucket)
        {
            var app = BenchApps.Create(bucket, "lights3");
            app.Register("/writers", typeof(WriterEndpoint));
            app.Register("/works", typeof(WorkEndpoint));
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
            await documents.For<WorkEndpoint>().InsertAsync(new JsonObject { ["title"] = $"Work {i}", ["writer"] = writerIds[i % writers] }, ct));
        await seeder.StopAsync();
        Console.Error.WriteLine($"seeded {writers} writers and {works} works");

        // S3 requests of one request each way, cold (fresh app per request kind) then warm (the same request again)
        async Task<(RequestCounts Cold, RequestCounts Warm, int Distinct)> CountAsync(string query)
        {
            var app = Build(bucket);
            await app.StartAsync();
            try
            {
                using var client = new HttpClient { BaseAddress = new Uri(app.Urls[0]) };
                var counter = app.Services.GetRequiredService<RequestCounter>();
                var before = counter.Snapshot();
                var page = JsonNode.Parse(await client.GetStringAsync($"/works{query}"))!;
                var cold = counter.Snapshot().Minus(before);
                before = counter.Snapshot();
                await client.GetStringAsync($"/works{query}");
                var warm = counter.Snapshot().Minus(before);
                var distinct = page["results"]!.AsArray().Select(r => r!["writer"] switch
                {
                    JsonObject o => o["id"]!.GetValue<string>(),
                    var v => v!.GetValue<string>(),
                }).Distinct().Count();
                return (cold, warm, distinct);
            }
            finally
            {
                await app.StopAsync();
            }
        }
        var plainCounts = await CountAsync("");
        var expandCounts = await CountAsync("?expand=writer");

        // latency under load, warm, alternating rounds; each request a different page start (cursor-free: first pages of filters would differ)
        var reader = Build(bucket);
        await reader.StartAsync();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri(reader.Urls[0]) };
        async Task<bool> Page(string query) => (await http.GetAsync($"/works{query}")).IsSuccessStatusCode;
        await LoadGenerator.RunAsync(8, TimeSpan.FromSeconds(2), _ => Page("?expand=writer"));
        var plain = new List<LoadGenerator.Result>();
        var expanded = new List<LoadGenerator.Result>();
        for (var r = 0; r < 3; r++)
        {
            plain.Add(await LoadGenerator.RunAsync(8, TimeSpan.FromSeconds(seconds), _ => Page("")));
            expanded.Add(await LoadGenerator.RunAsync(8, TimeSpan.FromSeconds(seconds), _ => Page("?expand=writer")));
            Console.Error.WriteLine($"page {plain[^1].PerSecond:0}/s p50 {plain[^1].P50Ms:0.0} ms, expanded {expanded[^1].PerSecond:0}/s p50 {expanded[^1].P50Ms:0.0} ms");
        }
        await reader.StopAsync();
        static LoadGenerator.Result Median(List<LoadGenerator.Result> l) => l.OrderBy(x => x.PerSecond).ElementAt(l.Count / 2);
        var p = Median(plain);
        var e = Median(expanded);

        Console.WriteLine($"Expand, Ceph RGW, {works} works over {writers} writers, page of 20, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}.");
        Console.WriteLine();
        Console.WriteLine("| request | S3 requests, cold app | S3 requests, warm | distinct writers on the page |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| `GET /works` | {plainCounts.Cold.Total} ({plainCounts.Cold}) | {plainCounts.Warm.Total} ({plainCounts.Warm}) | {plainCounts.Distinct} |");
        Console.WriteLine($"| `GET /works?expand=writer` | {expandCounts.Cold.Total} ({expandCounts.Cold}) | {expandCounts.Warm.Total} ({expandCounts.Warm}) | {expandCounts.Distinct} |");
        Console.WriteLine();
        Console.WriteLine("| page of 20, warm, 8 workers | req/s (median of 3 rounds) | p50 / p99 ms | ratio |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| without expand | {p.PerSecond:0} | {p.P50Ms:0.0} / {p.P99Ms:0.0} | 1.00× |");
        Console.WriteLine($"| `?expand=writer` | {e.PerSecond:0} | {e.P50Ms:0.0} / {e.P99Ms:0.0} | **{e.PerSecond / p.PerSecond:0.00}×** |");
    }

}
