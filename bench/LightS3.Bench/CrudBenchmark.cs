using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Books;
using LightS3.Hosting;
using LightS3.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LightS3.Bench;

/// <summary>Books example vs a hand-written Minimal API on the same S3 server, in one run.</summary>
public static class CrudBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        // Measures LightS3's Books example against a hand-written Minimal API on the same S3 server, in one run.
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var workers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16;
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        var endpoint = BenchApps.S3Endpoint;
        var bucket = $"lights3-bench-{DateTime.UtcNow:MMddHHmmss}";
        var duration = TimeSpan.FromSeconds(seconds);

        // --- LightS3 ---
        var lights3 = BenchApps.Create(bucket, "lights3", o => o.StoreRequestHeader = false);
        lights3.Register("/books", typeof(BookEndpoint));
        await lights3.StartAsync();
        var counter = lights3.Services.GetRequiredService<RequestCounter>();

        // --- baseline ---
        long baselineRequests = 0;
        var baseline = BaselineApi.Build(endpoint, bucket, "baseline", () => Interlocked.Increment(ref baselineRequests));
        await baseline.StartAsync();
        string Url(Microsoft.AspNetCore.Builder.WebApplication app) => app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = workers * 2, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        using var lightClient = new HttpClient(handler, false) { BaseAddress = new Uri(lights3.Urls[0]) };
        using var baseClient = new HttpClient(handler, false) { BaseAddress = new Uri(Url(baseline)) };

        const string body = """{"title":"Clean Code","author":"Robert Martin","price":31.5,"in_stock":true}""";
        async Task<bool> Post(HttpClient c) => (int)(await c.PostAsync("/books", new StringContent(body, Encoding.UTF8, "application/json"))).StatusCode == 201;

        // seed records to read back
        async Task<string[]> Seed(HttpClient c, int n)
        {
            var ids = new string[n];
            for (var i = 0; i < n; i++)
            {
                var r = await c.PostAsync("/books", new StringContent(body, Encoding.UTF8, "application/json"));
                ids[i] = (await r.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
            }
            return ids;
        }
        var lightIds = await Seed(lightClient, 200);
        var baseIds = await Seed(baseClient, 200);

        // request counts per operation (LightS3's counter; the baseline makes one by construction)
        var before = counter.Snapshot();
        await lightClient.GetAsync($"/books/{lightIds[0]}");
        var getCount = counter.Snapshot().Minus(before);
        before = counter.Snapshot();
        await Post(lightClient);
        var createCount = counter.Snapshot().Minus(before);
        before = counter.Snapshot();
        var probe = await (await lightClient.GetAsync($"/books/{lightIds[1]}")).Content.ReadFromJsonAsync<JsonObject>();
        before = counter.Snapshot();
        await lightClient.PatchAsync($"/books/{lightIds[1]}", new StringContent($$"""{"price":1,"version":{{probe!["version"]}}}""", Encoding.UTF8, "application/json"));
        var updateCount = counter.Snapshot().Minus(before);
        before = counter.Snapshot();
        await lightClient.DeleteAsync($"/books/{lightIds[2]}");
        var deleteCount = counter.Snapshot().Minus(before);

        // warm-up, then alternating rounds so drift hits both sides alike
        await LoadGenerator.RunAsync(workers, TimeSpan.FromSeconds(2), i => Get(lightClient, lightIds, i));
        await LoadGenerator.RunAsync(workers, TimeSpan.FromSeconds(2), i => Get(baseClient, baseIds, i));
        static async Task<bool> Get(HttpClient c, string[] ids, int i) => (int)(await c.GetAsync($"/books/{ids[3 + i % (ids.Length - 3)]}")).StatusCode == 200;

        var results = new Dictionary<string, List<LoadGenerator.Result>>();
        void Add(string k, LoadGenerator.Result r) { if (!results.TryGetValue(k, out var l)) results[k] = l = []; l.Add(r); Console.Error.WriteLine($"{k}: {r.PerSecond:0} req/s p50 {r.P50Ms:0.0} ms p99 {r.P99Ms:0.0} ms failures {r.Failures}"); }
        for (var round = 0; round < rounds; round++)
        {
            Add("get/lights3", await LoadGenerator.RunAsync(workers, duration, i => Get(lightClient, lightIds, i)));
            Add("get/baseline", await LoadGenerator.RunAsync(workers, duration, i => Get(baseClient, baseIds, i)));
            Add("create/lights3", await LoadGenerator.RunAsync(workers, duration, _ => Post(lightClient)));
            Add("create/baseline", await LoadGenerator.RunAsync(workers, duration, _ => Post(baseClient)));
        }

        LoadGenerator.Result Median(string k) => results[k].OrderBy(r => r.PerSecond).ElementAt(results[k].Count / 2);
        string Row(string op, RequestCounts counts)
        {
            var l = Median($"{op}/lights3");
            var b = Median($"{op}/baseline");
            return $"| {op} | {l.PerSecond:0} | {b.PerSecond:0} | **{l.PerSecond / b.PerSecond:0.00}×** | {l.P50Ms:0.0} / {l.P99Ms:0.0} | {b.P50Ms:0.0} / {b.P99Ms:0.0} | {counts.Total} ({counts}) | 1 |";
        }
        Console.WriteLine($"Books example vs hand-written Minimal API, same Ceph RGW, same run: {workers} workers, {rounds} rounds of {seconds:0} s per side (median round), {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}.");
        Console.WriteLine();
        Console.WriteLine("| operation | LightS3 req/s | baseline req/s | ratio | LightS3 p50/p99 ms | baseline p50/p99 ms | LightS3 S3 requests | baseline S3 requests |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        Console.WriteLine(Row("get", getCount));
        Console.WriteLine(Row("create", createCount));
        Console.WriteLine();
        Console.WriteLine($"S3 requests per operation (LightS3, measured): get {getCount.Total} ({getCount}), create {createCount.Total} ({createCount}), update {updateCount.Total} ({updateCount}), delete {deleteCount.Total} ({deleteCount}).");
        Console.WriteLine($"Failures: {results.Values.SelectMany(r => r).Sum(r => r.Failures)}");

        await lights3.StopAsync();
        await baseline.StopAsync();

    }
}
