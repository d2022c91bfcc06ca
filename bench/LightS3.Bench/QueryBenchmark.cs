using System.Diagnostics;
using System.Globalization;
using System.Text;
using LightS3.Hosting;
using LightS3.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LightS3.Bench;

/// <summary>
/// Request counts and latencies of the querying issue's target queries on an N-record collection in real S3,
/// next to what the S3verless algorithm needs for the same query (⌈N/1000⌉ LIST + N GETs per scan, two scans per page).
/// </summary>
public static class QueryBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var bucket = $"lights3-qbench-{DateTime.UtcNow:MMddHHmmss}";

        LightS3App App(bool pages) => BenchApps.Create(bucket, "bench").Register(pages ? "/items-pages" : "/items", pages ? typeof(ItemPagesEndpoint) : typeof(ItemEndpoint));

        // seed through the API
        await using (var writer = App(false))
        {
            await writer.StartAsync();
            using var http = new HttpClient { BaseAddress = new Uri(writer.Urls[0]) };
            var watch = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
            {
                var json = $$"""{"name":"item {{i}}","team":"team-{{i % 200:D3}}","score":{{i}}}""";
                var r = await http.PostAsync("/items", new StringContent(json, Encoding.UTF8, "application/json"), ct);
                if ((int)r.StatusCode != 201) throw new InvalidOperationException($"seed {i}: {(int)r.StatusCode}");
            });
            Console.Error.WriteLine($"seeded {n} records in {watch.Elapsed.TotalSeconds:0.0} s ({n / watch.Elapsed.TotalSeconds:0} creates/s, 3 PUTs each)");
        }

        var lists = (n + 999) / 1000;
        var scan = $"{lists} LIST + {n:N0} GET";
        var page = $"{2 * lists} LIST + {2 * n:N0} GET";
        var cases = new (string Name, string Url, bool Pages, string S3verless)[]
        {
            ("first page of 20, no filter, cursor", "/items", false, page),
            ("next page (cursor)", "NEXT:/items", false, page),
            ($"equality on an indexed field ({n / 200} matches), page of 20", "/items?team=team-042", false, page),
            ("range + ordering on an indexed field, page of 20", $"/items?score__gte={n / 2}&score__lt={n / 2 + 500}&ordering=score", false, page),
            ($"search over all {n:N0}", "/items?search=item%20123", false, page),
            ("page-number page 3 with count, no filter", "/items-pages?page=3", true, page),
            ($"page-number count with an indexed equality filter", "/items-pages?team=team-042&page=2", true, page),
        };

        var rows = new List<string>();
        foreach (var c in cases)
        {
            await using var reader = App(c.Pages);
            await reader.StartAsync();
            using var http = new HttpClient { BaseAddress = new Uri(reader.Urls[0]) };
            var counter = reader.Services.GetRequiredService<RequestCounter>();
            var url = c.Url;
            if (url.StartsWith("NEXT:", StringComparison.Ordinal))
            {
                var first = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(url[5..]))!;
                url = url[5..] + "?cursor=" + Uri.EscapeDataString(first["next"]!.GetValue<string>());
                // a fresh reader, so the first page's reads do not warm the cache
                await reader.StopAsync();
            }
            await using var cold = url == c.Url ? null : App(c.Pages);
            var (app, client) = cold is null ? (reader, http) : (cold, new HttpClient { BaseAddress = new Uri(await Start(cold)) });
            var count = app.Services.GetRequiredService<RequestCounter>();

            var (coldCounts, coldMs) = await Time(client, count, url);
            var warm = new List<double>();
            RequestCounts warmCounts = new();
            for (var i = 0; i < 15; i++)
            {
                var (wc, ms) = await Time(client, count, url);
                warmCounts = wc;
                warm.Add(ms);
            }
            warm.Sort();
            rows.Add($"| {c.Name} | {Fmt(coldCounts)} | {coldMs:0} ms | {Fmt(warmCounts)} | {warm[warm.Count / 2]:0} ms | {c.S3verless} |");
            Console.Error.WriteLine(rows[^1]);
        }

        // unique check on create: conditional PUT of the marker, no LIST
        await using (var app = App(false))
        {
            await app.StartAsync();
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls[0]) };
            var counter = app.Services.GetRequiredService<RequestCounter>();
            await http.PostAsync("/items", new StringContent("""{"name":"u","team":"t","score":1,"code":"ABC-1"}""", Encoding.UTF8, "application/json"));
            var before = counter.Snapshot();
            var watch = Stopwatch.StartNew();
            var r = await http.PostAsync("/items", new StringContent("""{"name":"u","team":"t","score":1,"code":"ABC-1"}""", Encoding.UTF8, "application/json"));
            var d = counter.Snapshot().Minus(before);
            rows.Add($"| unique check on create (duplicate → {(int)r.StatusCode}) | {Fmt(d)} | {watch.Elapsed.TotalMilliseconds:0} ms | — | — | {scan} |");
        }

        Console.WriteLine($"Query costs on a {n:N0}-record collection in Ceph RGW ({DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores). Cold = fresh app instance (empty record cache); warm = same request repeated (median of 15).");
        Console.WriteLine();
        Console.WriteLine("| query | LightS3 cold requests | cold latency | LightS3 warm requests | warm p50 | S3verless algorithm |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var row in rows) Console.WriteLine(row);
    }

    private static async Task<string> Start(LightS3App app)
    {
        await app.StartAsync();
        return app.Urls[0];
    }

    private static async Task<(RequestCounts Counts, double Ms)> Time(HttpClient http, RequestCounter counter, string url)
    {
        var before = counter.Snapshot();
        var watch = Stopwatch.StartNew();
        var response = await http.GetAsync(url);
        var ms = watch.Elapsed.TotalMilliseconds;
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (counter.Snapshot().Minus(before), ms);
    }

    private static string Fmt(RequestCounts c) =>
        string.Join(" + ", new[] { (StoreOperation.List, "LIST"), (StoreOperation.Get, "GET"), (StoreOperation.Put, "PUT"), (StoreOperation.Head, "HEAD") }
            .Where(x => c[x.Item1] > 0).Select(x => $"{c[x.Item1]} {x.Item2}")) is { Length: > 0 } s ? s : "0";
}
