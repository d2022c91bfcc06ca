using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Endpoints;
using LightS3.Hosting;
using LightS3.Query;
using LightS3.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LightS3.Bench;

/// <summary>
/// How the embedded stores scale: the same queries, GET/create/update and disk use at 10k, 100k and 1M records, for
/// the SQLite store and (where practical) the directory-of-files store. Records are seeded in-process through the
/// repository (record + index entries, exactly what a POST writes, without HTTP), 64 at a time — from 1M records up,
/// directly through the store instead (the same objects, 256 at a time; see <see cref="SeedThroughStoreAsync"/>);
/// queries go over HTTP.
/// <c>dotnet run -c Release --project bench/LightS3.Bench -- store-scale [sqlite:10000,sqlite:100000,files:10000,...]</c>
/// </summary>
public static class StoreScaleBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var runs = (args.Length > 0 ? args[0] : "files:10000,sqlite:10000,sqlite:100000,sqlite:1000000")
            .Split(',').Select(r => r.Split(':')).Select(p => (Kind: p[0], N: int.Parse(p[1], CultureInfo.InvariantCulture))).ToList();
        var results = new List<(string Kind, int N, List<(string Name, string Value)> Rows)>();
        foreach (var (kind, n) in runs)
        {
            var rows = await RunOneAsync(kind, n);
            results.Add((kind, n, rows));
            Print(results);
        }
    }

    private static LightS3App App(string kind, string dir, bool pages = false) => LightS3App.Create([], b =>
    {
        b.WebHost.UseUrls("http://127.0.0.1:0");
        b.Logging.ClearProviders();
        b.Services.PostConfigure<LightS3Options>(o =>
        {
            o.Storage = kind == "files" ? StorageKind.Files : StorageKind.Sqlite;
            o.DataDir = dir;
        });
    }).Register(pages ? "/items-pages" : "/items", pages ? typeof(ItemPagesEndpoint) : typeof(ItemEndpoint));

    private static async Task<List<(string, string)>> RunOneAsync(string kind, int n)
    {
        var dir = Directory.CreateTempSubdirectory($"lights3-scale-{kind}-").FullName;
        var rows = new List<(string, string)>();
        try
        {
            var app = App(kind, dir);
            await app.StartAsync();
            var http = new HttpClient { BaseAddress = new Uri(app.Urls[0]), Timeout = TimeSpan.FromMinutes(10) };
            var repository = app.Services.GetRequiredService<EndpointRegistry>().Get("/items").Repository;

            var ids = new string[n];
            var watch = Stopwatch.StartNew();
            var direct = n >= 1_000_000;
            if (direct)
            {
                await SeedThroughStoreAsync(repository, ids, kind);
                rows.Add(("seeding (records/s, in-process via the repository, 64 parallel)", "—"));
                rows.Add(("seeding (records/s, directly through the store, 256 parallel)", $"{n / watch.Elapsed.TotalSeconds:0}"));
            }
            else
            {
                var done = 0;
                await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, ct) =>
                {
                    var fields = new JsonObject { ["name"] = $"item {i}", ["team"] = $"team-{i % 200:D3}", ["score"] = i, ["code"] = null };
                    ids[i] = (await repository.InsertAsync(fields, ct)).Id;
                    var d = Interlocked.Increment(ref done);
                    if (d % 100_000 == 0) Console.Error.WriteLine($"  {kind} {n}: seeded {d} in {watch.Elapsed.TotalSeconds:0} s");
                });
                rows.Add(("seeding (records/s, in-process via the repository, 64 parallel)", $"{n / watch.Elapsed.TotalSeconds:0}"));
                rows.Add(("seeding (records/s, directly through the store, 256 parallel)", "—"));
            }
            Console.Error.WriteLine($"{kind} {n}: seeded in {watch.Elapsed.TotalSeconds:0.0} s");

            // restart the app so no query is served from what seeding left in memory
            await app.StopAsync();
            await app.DisposeAsync();
            app = App(kind, dir);
            await app.StartAsync();
            http = new HttpClient { BaseAddress = new Uri(app.Urls[0]), Timeout = TimeSpan.FromMinutes(10) };

            var (bytes, files) = DiskUse(dir);
            rows.Add(("disk bytes per record (records + index entries)", $"{bytes / (double)n:0}" + (kind == "files" ? $" ({files / (double)n:0.0} files/record, {Allocated(dir) / (double)n:0} B allocated)" : "")));

            var sorted = ids.Order(StringComparer.Ordinal).ToArray();
            var middleCursor = await MiddleCursorAsync(app, http, sorted[n / 2]);
            var slow = kind == "files" || n >= 1_000_000;
            var cases = new (string Name, string Url, int Runs)[]
            {
                ("first cursor page (20)", "/items", 11),
                ("middle cursor page (20)", "/items?cursor=" + Uri.EscapeDataString(middleCursor), 11),
                ("indexed equality page (team: N/200 matches)", "/items?team=team-042", 11),
                ("indexed range + ordering page (score)", $"/items?score__gte={n / 2}&score__lt={n / 2 + 500}&ordering=score", 11),
                ("page-number count, no filter (page 3)", "/items-pages?page=3", slow ? 3 : 5),
                ("page-number count, indexed filter (team)", "/items-pages?team=team-042&page=2", slow ? 3 : 5),
            };
            foreach (var c in cases)
            {
                // the page-number endpoint shares the collection, so it is served by its own app instance
                var pagesApp = c.Url.StartsWith("/items-pages", StringComparison.Ordinal) ? App(kind, dir, pages: true) : null;
                if (pagesApp is not null) await pagesApp.StartAsync();
                using var client = new HttpClient { BaseAddress = new Uri((pagesApp ?? app).Urls[0]), Timeout = TimeSpan.FromMinutes(10) };
                var ms = new List<double>();
                await TimeAsync(client, c.Url); // warm-up (JIT, connection, page cache)
                for (var i = 0; i < c.Runs; i++) ms.Add(await TimeAsync(client, c.Url));
                ms.Sort();
                rows.Add((c.Name + ", p50 ms", $"{ms[ms.Count / 2]:0.0}"));
                Console.Error.WriteLine($"  {kind} {n}: {c.Name}: {ms[ms.Count / 2]:0.0} ms");
                if (pagesApp is not null)
                {
                    await pagesApp.StopAsync();
                    await pagesApp.DisposeAsync();
                }
            }

            // throughput over HTTP, 16 concurrent clients; GETs are short, so 2,000 warm-up requests first (JIT, connections)
            // and 20,000 measured, else the first size of a run pays the warm-up and the comparison follows the order
            var random = new Random(7);
            var warmIds = Enumerable.Range(0, 2000).Select(_ => ids[random.Next(n)]).ToArray();
            await ThroughputAsync(warmIds.Length, i => http.GetAsync($"/items/{warmIds[i]}"), 200);
            var getIds = Enumerable.Range(0, 20_000).Select(_ => ids[random.Next(n)]).ToArray();
            rows.Add(("GET by id (req/s, 16 concurrent)", $"{await ThroughputAsync(getIds.Length, i => http.GetAsync($"/items/{getIds[i]}"), 200):0}"));
            rows.Add(("create (req/s, 16 concurrent)", $"{await ThroughputAsync(1000, i => http.PostAsync("/items", Json($$"""{"name":"new {{i}}","team":"team-new","score":{{n + i}}}""")), 201):0}"));
            var updateIds = Enumerable.Range(0, 1000).Select(i => ids[(int)((long)i * n / 1000)]).ToArray();
            rows.Add(("update (req/s, 16 concurrent; PATCH with version)", $"{await ThroughputAsync(updateIds.Length, i => http.PatchAsync($"/items/{updateIds[i]}", Json("""{"name":"updated","version":1}""")), 200):0}"));
            await app.StopAsync();
            await app.DisposeAsync();
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
        return rows;
    }

    /// <summary>
    /// Seeds <paramref name="ids"/>.Length records without the repository's per-record work (validation, unique claims,
    /// cache): the first record goes through the repository and is the template; every other one is that record with
    /// a new id and its own name/team/score, encoded by <see cref="RecordCodec"/>, its index entries written by
    /// <see cref="IndexEntries"/> and then the record with <c>If-None-Match: *</c> — the objects a POST writes.
    /// </summary>
    private static async Task SeedThroughStoreAsync(RecordRepository repository, string[] ids, string kind)
    {
        var template = (await repository.InsertAsync(new JsonObject { ["name"] = "item 0", ["team"] = "team-000", ["score"] = 0, ["code"] = null })).Data;
        ids[0] = template["id"]!.GetValue<string>();
        var entries = new IndexEntries(repository.Model, repository.Store, repository.Index);
        var watch = Stopwatch.StartNew();
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(1, ids.Length - 1), new ParallelOptions { MaxDegreeOfParallelism = 256 }, async (i, ct) =>
        {
            var id = RecordIds.New();
            var data = template.DeepClone().AsObject();
            data["id"] = id;
            data["name"] = $"item {i}";
            data["team"] = $"team-{i % 200:D3}";
            data["score"] = i;
            await entries.WriteAsync(entries.KeysOf(data, id, 1), 1, ct);
            await repository.Store.PutAsync(repository.Layout.RecordKey(id), RecordCodec.Encode(data), WriteCondition.IfNoneMatch, ct);
            ids[i] = id;
            var d = Interlocked.Increment(ref done);
            if (d % 100_000 == 0) Console.Error.WriteLine($"  {kind} {ids.Length}: seeded {d} in {watch.Elapsed.TotalSeconds:0} s");
        });
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>A cursor positioned after <paramref name="id"/>: the first page's next cursor, re-pointed and re-signed with the app's key.</summary>
    private static async Task<string> MiddleCursorAsync(LightS3App app, HttpClient http, string id)
    {
        var first = JsonNode.Parse(await http.GetStringAsync("/items"))!;
        var last = first["results"]!.AsArray()[^1]!["id"]!.GetValue<string>();
        var next = first["next"]!.GetValue<string>();
        var token = next.Contains("cursor=") ? Uri.UnescapeDataString(next[(next.IndexOf("cursor=", StringComparison.Ordinal) + 7)..].Split('&')[0]) : next;
        var body = Encoding.UTF8.GetString(Base64Url(token.Split('.')[0])).Replace(last, id, StringComparison.Ordinal);
        var signer = app.Services.GetRequiredService<CursorSigner>();
        var json = Encoding.UTF8.GetBytes(body);
        return ToBase64Url(json) + "." + ToBase64Url(signer.Sign(json));
    }

    private static byte[] Base64Url(string s) => Convert.FromBase64String(s.Replace('-', '+').Replace('_', '/').PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    private static string ToBase64Url(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static async Task<double> TimeAsync(HttpClient http, string url)
    {
        var watch = Stopwatch.StartNew();
        var response = await http.GetAsync(url);
        var ms = watch.Elapsed.TotalMilliseconds;
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return ms;
    }

    private static async Task<double> ThroughputAsync(int count, Func<int, Task<HttpResponseMessage>> send, int expected)
    {
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var response = await send(i);
            if ((int)response.StatusCode != expected) throw new InvalidOperationException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        });
        return count / watch.Elapsed.TotalSeconds;
    }

    private static (long Bytes, long Files) DiskUse(string dir)
    {
        long bytes = 0, files = 0;
        foreach (var f in new DirectoryInfo(dir).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            bytes += f.Length;
            files++;
        }
        return (bytes, files);
    }

    private static long Allocated(string dir) =>
        new DirectoryInfo(dir).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => (f.Length + 4095) / 4096 * 4096);

    private static void Print(List<(string Kind, int N, List<(string Name, string Value)> Rows)> results)
    {
        Console.WriteLine();
        Console.WriteLine($"Embedded stores at scale ({DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} shared cores)");
        Console.WriteLine();
        Console.WriteLine("| measure | " + string.Join(" | ", results.Select(r => $"{r.Kind} {r.N:N0}")) + " |");
        Console.WriteLine("|---|" + string.Concat(results.Select(_ => "---|")));
        foreach (var (name, _) in results[0].Rows)
            Console.WriteLine($"| {name} | " + string.Join(" | ", results.Select(r => r.Rows.FirstOrDefault(x => x.Name == name).Value ?? "—")) + " |");
    }
}
