using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using LightS3.Endpoints;
using LightS3.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Bench;

/// <summary>A plain collection: one PUT per created record (no index, no unique field).</summary>
public class PlainItemEndpoint : RestEndpoint<PlainItemEndpoint>
{
    public string Name { get; set; } = "";
    public string Team { get; set; } = "";
    public int Score { get; set; }
    public ShapeAuthor Author { get; set; } = new();
}

/// <summary>A nested object for the field-selection benchmark.</summary>
public sealed class ShapeAuthor
{
    public string Name { get; set; } = "";
    public string Email { get; set; } = "";
}

/// <summary>
/// Issue 14's measures on the S3 server, in one run: bulk import through <c>_bulk</c> against a hand-written importer
/// doing parallel conditional PutObject of the same JSON; export records/s and peak memory; <c>?fields=</c> on GET by id
/// against the full GET.
/// <c>dotnet run -c Release --project bench/LightS3.Bench -- shape [records] [bulk-lines] [seconds-per-round]</c>
/// </summary>
public static class ShapeBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var records = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var linesPerBulk = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
        var seconds = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        const int inFlight = 32; // PUTs in flight on both sides: 2 bulk requests × BulkParallelism 16 vs 32 importer tasks
        var bucket = $"lights3-shape-{DateTime.UtcNow:MMddHHmmss}";

        var app = BenchApps.Create(bucket, "lights3", o => o.BulkParallelism = inFlight / 2);
        app.Register("/plain", typeof(PlainItemEndpoint));
        app.Register("/items", typeof(ItemEndpoint));
        await app.StartAsync();
        var counter = app.Services.GetRequiredService<RequestCounter>();
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri(app.Urls[0]), Timeout = TimeSpan.FromMinutes(10) };
        var s3 = new AmazonS3Client(new BasicAWSCredentials(Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"), Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY")),
            new AmazonS3Config
            {
                ServiceURL = BenchApps.S3Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1",
                RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED, ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            });

        static string Line(int i) => $$$"""{"name":"item {{{i}}}","team":"t{{{i % 200}}}","score":{{{i}}},"author":{"name":"Author {{{i % 50}}}","email":"a{{{i % 50}}}@example.org"}}""";

        // --- bulk import through _bulk ---
        async Task<(double Seconds, long Failures, RequestCounts Counts)> BulkAsync(string route, int count, Func<int, string> line)
        {
            var before = counter.Snapshot();
            long failures = 0;
            var watch = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, (count + linesPerBulk - 1) / linesPerBulk), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (b, ct) =>
            {
                var body = new StringBuilder();
                for (var i = b * linesPerBulk; i < Math.Min(count, (b + 1) * linesPerBulk); i++) body.Append(line(i)).Append('\n');
                var response = await client.PostAsync($"{route}/_bulk", new StringContent(body.ToString(), Encoding.UTF8, "application/x-ndjson"), ct);
                var text = await response.Content.ReadAsStringAsync(ct);
                Interlocked.Add(ref failures, response.IsSuccessStatusCode ? text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => !l.Contains("\"status\":201")) : linesPerBulk);
            });
            return (watch.Elapsed.TotalSeconds, failures, counter.Snapshot().Minus(before));
        }

        // --- the hand-written importer: the same JSON (plus id, timestamps and version, as stored), conditional PUTs ---
        async Task<(double Seconds, long Failures)> ImporterAsync(int count)
        {
            long failures = 0;
            var watch = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = inFlight }, async (i, ct) =>
            {
                var doc = JsonNode.Parse(Line(i))!.AsObject();
                var id = Guid.CreateVersion7().ToString();
                var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
                doc["id"] = id; doc["created_at"] = now; doc["updated_at"] = now; doc["version"] = 1;
                try
                {
                    await s3.PutObjectAsync(new PutObjectRequest
                    {
                        BucketName = bucket, Key = $"baseline/items/records/{id}.json", InputStream = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(doc)),
                        ContentType = "application/json", IfNoneMatch = "*",
                    }, ct);
                }
                catch (AmazonS3Exception)
                {
                    Interlocked.Increment(ref failures);
                }
            });
            return (watch.Elapsed.TotalSeconds, failures);
        }

        Console.Error.WriteLine($"importing {records} records through _bulk ({linesPerBulk} lines per request) ...");
        var bulk = await BulkAsync("/plain", records, Line);
        Console.Error.WriteLine($"_bulk: {records / bulk.Seconds:0} records/s");
        var importer = await ImporterAsync(records);
        Console.Error.WriteLine($"importer: {records / importer.Seconds:0} records/s");
        var indexedCount = Math.Max(1000, records / 10);
        var indexed = await BulkAsync("/items", indexedCount, i => $$"""{"name":"item {{i}}","team":"t{{i % 200}}","score":{{i}},"code":"c{{i}}"}""");
        Console.Error.WriteLine($"_bulk with 2 indexes + 1 unique: {indexedCount / indexed.Seconds:0} records/s");

        // --- export: a fresh app on the same prefix (cold record cache), streamed and counted, memory sampled ---
        await app.StopAsync();
        var reader = BenchApps.Create(bucket, "lights3");
        reader.Register("/plain", typeof(PlainItemEndpoint));
        await reader.StartAsync();
        using var exportClient = new HttpClient { BaseAddress = new Uri(reader.Urls[0]), Timeout = TimeSpan.FromMinutes(10) };
        async Task<(long Lines, double Seconds, long PeakWorkingSet, long PeakManaged)> ExportAsync(string query)
        {
            GC.Collect();
            var process = Process.GetCurrentProcess();
            process.Refresh();
            long peakWs = process.WorkingSet64, peakManaged = GC.GetTotalMemory(false);
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    process.Refresh();
                    peakWs = Math.Max(peakWs, process.WorkingSet64);
                    peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(false));
                    try { await Task.Delay(20, sampling.Token); } catch (OperationCanceledException) { }
                }
            });
            var watch = Stopwatch.StartNew();
            using var response = await exportClient.GetAsync($"/plain/_export{query}", HttpCompletionOption.ResponseHeadersRead);
            await using var stream = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[64 * 1024];
            long lines = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0) lines += buffer.AsSpan(0, read).Count((byte)'\n');
            var elapsed = watch.Elapsed.TotalSeconds;
            await sampling.CancelAsync();
            await sampler;
            return (lines, elapsed, peakWs, peakManaged);
        }
        GC.Collect();
        var idleWs = Process.GetCurrentProcess().WorkingSet64;
        var idleManaged = GC.GetTotalMemory(true);
        var cold = await ExportAsync("");
        Console.Error.WriteLine($"export cold: {cold.Lines} lines, {cold.Lines / cold.Seconds:0} records/s");
        var warm = await ExportAsync("");
        var csv = await ExportAsync("?format=csv");

        // --- ?fields= on GET by id vs the full GET (warm record cache, alternating rounds) ---
        var ids = new List<string>();
        await foreach (var id in FirstIdsAsync(exportClient, 200)) ids.Add(id);
        var rounds = 3;
        var full = new List<LoadGenerator.Result>();
        var projected = new List<LoadGenerator.Result>();
        async Task<bool> Get(string suffix, int i) => (await exportClient.GetAsync($"/plain/{ids[i % ids.Count]}{suffix}")).IsSuccessStatusCode;
        await LoadGenerator.RunAsync(16, TimeSpan.FromSeconds(2), i => Get("", i));
        for (var r = 0; r < rounds; r++)
        {
            full.Add(await LoadGenerator.RunAsync(16, TimeSpan.FromSeconds(seconds), i => Get("", i)));
            projected.Add(await LoadGenerator.RunAsync(16, TimeSpan.FromSeconds(seconds), i => Get("?fields=id,name,author.name", i)));
            Console.Error.WriteLine($"GET full {full[^1].PerSecond:0}/s, fields {projected[^1].PerSecond:0}/s");
        }
        LoadGenerator.Result Median(List<LoadGenerator.Result> l) => l.OrderBy(x => x.PerSecond).ElementAt(l.Count / 2);
        await reader.StopAsync();

        const double MiB = 1024 * 1024;
        Console.WriteLine($"Issue 14 measures, Ceph RGW, {records} records, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}.");
        Console.WriteLine();
        Console.WriteLine("| import | records/s | ratio | S3 requests per record | failures |");
        Console.WriteLine("|---|---|---|---|---|");
        Console.WriteLine($"| hand-written importer (parallel conditional PutObject, {inFlight} in flight) | {records / importer.Seconds:0} | 1.00× | 1 | {importer.Failures} |");
        Console.WriteLine($"| `POST /plain/_bulk` ({linesPerBulk} lines per request, 2 requests × 16) | {records / bulk.Seconds:0} | **{importer.Seconds / bulk.Seconds:0.00}×** | {(double)bulk.Counts.Total / records:0.00} ({bulk.Counts}) | {bulk.Failures} |");
        Console.WriteLine($"| `POST /items/_bulk`, 2 indexed fields + 1 unique ({indexedCount} records) | {indexedCount / indexed.Seconds:0} | {(indexedCount / indexed.Seconds) / (records / importer.Seconds):0.00}× | {(double)indexed.Counts.Total / indexedCount:0.00} ({indexed.Counts}) | {indexed.Failures} |");
        Console.WriteLine();
        Console.WriteLine("| export | records | records/s | peak working set (idle → peak) | peak managed heap (idle → peak) |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var (name, e) in new[] { ("NDJSON, cold (fresh app, empty record cache)", cold), ("NDJSON, warm", warm), ("CSV, warm", csv) })
            Console.WriteLine($"| {name} | {e.Lines - (name.StartsWith("CSV") ? 1 : 0)} | {e.Lines / e.Seconds:0} | {idleWs / MiB:0} → {e.PeakWorkingSet / MiB:0} MiB | {idleManaged / MiB:0} → {e.PeakManaged / MiB:0} MiB |");
        Console.WriteLine();
        var f = Median(full);
        var p = Median(projected);
        Console.WriteLine("| GET by id | req/s | p50 / p99 ms | ratio |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| full record | {f.PerSecond:0} | {f.P50Ms:0.0} / {f.P99Ms:0.0} | 1.00× |");
        Console.WriteLine($"| `?fields=id,name,author.name` | {p.PerSecond:0} | {p.P50Ms:0.0} / {p.P99Ms:0.0} | **{p.PerSecond / f.PerSecond:0.00}×** |");
    }

    private static async IAsyncEnumerable<string> FirstIdsAsync(HttpClient client, int count)
    {
        var lines = (await client.GetStringAsync("/plain/_export?fields=id")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var line in lines.Take(count)) yield return JsonNode.Parse(line)!["id"]!.GetValue<string>();
    }
}
