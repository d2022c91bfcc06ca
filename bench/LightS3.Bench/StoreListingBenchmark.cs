using System.Diagnostics;
using System.Globalization;
using System.Text;
using LightS3.Storage;
using LightS3.Storage.Embedded;

namespace LightS3.Bench;

/// <summary>
/// The stores alone, without HTTP, JSON or the query layer: a listing page, a GET and a compare-and-swap at 10k and
/// 1M records (3 objects per record, laid out like records plus two index entries), seeded directly through the
/// store. Reports the minimum and median of many runs, since the machine's CPU is shared and medians are noisy.
/// <c>dotnet run -c Release --project bench/LightS3.Bench -- store-listing [sqlite:10000,sqlite:1000000,memory:10000,memory:1000000]</c>;
/// <c>lmdb:N</c> and <c>rocksdb:N</c> run the same measures on the engine prototypes under <c>Engines/</c>.
/// </summary>
public static class StoreListingBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var runs = (args.Length > 0 ? args[0] : "memory:10000,memory:1000000,sqlite:10000,sqlite:1000000")
            .Split(',').Select(r => r.Split(':')).Select(p => (Kind: p[0], N: int.Parse(p[1], CultureInfo.InvariantCulture))).ToList();
        var results = new List<(string Name, List<(string, string)> Rows)>();
        foreach (var (kind, n) in runs)
        {
            var dir = Directory.CreateTempSubdirectory("lights3-listing-").FullName;
            IObjectStore store = kind switch
            {
                "memory" => new InMemoryObjectStore(new RequestCounter()),
                "lmdb" => new Engines.LmdbObjectStore(dir), // prototypes, to compare engines (docs/benchmarks.md)
                "rocksdb" => new Engines.RocksDbObjectStore(dir),
                _ => new SqliteObjectStore(dir, new RequestCounter()),
            };
            try
            {
                results.Add(($"{kind} {n:N0}", await MeasureAsync(store, n)));
                Print(results);
            }
            finally
            {
                if (store is IAsyncDisposable d) await d.DisposeAsync();
                else if (store is IDisposable s) s.Dispose();
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    private static string RecordKey(int i) => $"items/records/{i:x8}-0000-7000-8000-000000000000.json";
    private static string TeamKey(int i) => $"items/index/team/team-{i % 200:D3}/{i:x8}-0000-7000-8000-000000000000";
    private static string ScoreKey(int i) => $"items/index/score/{0x8000000000000000UL + (ulong)i:x16}/{i:x8}-0000-7000-8000-000000000000";

    private static async Task<List<(string, string)>> MeasureAsync(IObjectStore store, int n)
    {
        var rows = new List<(string, string)>();
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = 256 }, async (i, ct) =>
        {
            var body = Encoding.UTF8.GetBytes($$"""{"id":"{{i:x8}}","name":"item {{i}}","team":"team-{{i % 200:D3}}","score":{{i}},"code":null,"created_at":"2026-11-26T14:00:00.000Z","updated_at":"2026-11-26T14:00:00.000Z","version":1}""");
            await store.PutAsync(TeamKey(i), "{}"u8.ToArray(), WriteCondition.IfNoneMatch, ct);
            await store.PutAsync(ScoreKey(i), "{}"u8.ToArray(), WriteCondition.IfNoneMatch, ct);
            await store.PutAsync(RecordKey(i), body, WriteCondition.IfNoneMatch, ct);
        });
        rows.Add(("seeding, records/s (3 conditional PUTs each, 256 concurrent, directly through the store)", $"{n / watch.Elapsed.TotalSeconds:0}"));

        var cases = new (string Name, Func<Task> Run)[]
        {
            ("first page of 21 keys", () => store.ListAsync("items/records/", null, 21)),
            ("middle page of 21 keys (StartAfter)", () => store.ListAsync("items/records/", RecordKey(n / 2), 21)),
            ("equality page (index prefix, N/200 keys under it)", () => store.ListAsync("items/index/team/team-042/", null, 21)),
            ("range page (StartAfter into the score index)", () => store.ListAsync("items/index/score/", ScoreKey(n / 2), 21)),
            ("page of 1,000 keys (the query layer's LIST size)", () => store.ListAsync("items/records/", RecordKey(n / 3), 1000)),
            ("GET of a random record", () => store.GetAsync(RecordKey(Random.Shared.Next(n)))),
        };
        foreach (var (name, run) in cases)
        {
            for (var i = 0; i < 20; i++) await run(); // warm-up
            var us = new List<double>();
            for (var i = 0; i < 301; i++)
            {
                var t = Stopwatch.GetTimestamp();
                await run();
                us.Add(Stopwatch.GetElapsedTime(t).TotalMicroseconds);
            }
            us.Sort();
            rows.Add(($"{name}: min / p50 µs", $"{us[0]:0} / {us[us.Count / 2]:0}"));
        }

        rows.Add(("GET + compare-and-swap PUT, ops/s (16 concurrent)", $"{await CompareAndSwapRateAsync(store, n):0}"));
        if (store is ICountingObjectStore counting)
        {
            // count every team value: on SQLite each value prefix over the counter threshold gets a maintained counter,
            // which every write to the collection then passes through (the triggers' key range); the writes again
            for (var t = 0; t < 200; t++) await counting.CountAsync($"items/index/team/team-{t:D3}/", null, null, null);
            rows.Add(("… after counting all 200 team values (SQLite: 200 maintained counters when N/200 > 1,000)", $"{await CompareAndSwapRateAsync(store, n):0}"));
        }
        return rows;
    }

    /// <summary>Compare-and-swap updates of random records, 16 concurrent: successful updates per second.</summary>
    private static async Task<double> CompareAndSwapRateAsync(IObjectStore store, int n)
    {
        var watch = Stopwatch.StartNew();
        var updated = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, 2000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, ct) =>
        {
            var key = RecordKey(Random.Shared.Next(n));
            var current = await store.GetAsync(key, ct);
            try
            {
                await store.PutAsync(key, Encoding.UTF8.GetBytes($"{{\"u\":{Guid.NewGuid():N}}}"), WriteCondition.IfMatch(current!.ETag), ct);
                Interlocked.Increment(ref updated);
            }
            catch (PreconditionFailedException)
            {
                // two workers picked the same record: one lost, as it should
            }
        });
        return updated / watch.Elapsed.TotalSeconds;
    }

    private static void Print(List<(string Name, List<(string Name, string Value)> Rows)> results)
    {
        Console.WriteLine();
        Console.WriteLine("| store operation | " + string.Join(" | ", results.Select(r => r.Name)) + " |");
        Console.WriteLine("|---|" + string.Concat(results.Select(_ => "---|")));
        foreach (var (name, _) in results[0].Rows)
            Console.WriteLine($"| {name} | " + string.Join(" | ", results.Select(r => r.Rows.FirstOrDefault(x => x.Name == name).Value ?? "—")) + " |");
    }
}
