using System.Diagnostics;

namespace LightS3.Bench;

/// <summary>A closed-loop load generator: N workers issue requests back to back for a fixed time.</summary>
public static class LoadGenerator
{
    public sealed record Result(long Requests, long Failures, TimeSpan Elapsed, double P50Ms, double P99Ms)
    {
        public double PerSecond => Requests / Elapsed.TotalSeconds;
    }

    public static async Task<Result> RunAsync(int workers, TimeSpan duration, Func<int, Task<bool>> request)
    {
        var latencies = new List<double>[workers];
        long failures = 0;
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async w =>
        {
            var mine = latencies[w] = [];
            var i = w;
            while (stop.Elapsed < duration)
            {
                var t = Stopwatch.GetTimestamp();
                if (!await request(i)) Interlocked.Increment(ref failures);
                mine.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                i += workers;
            }
        }));
        var elapsed = stop.Elapsed;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new Result(all.Length, failures, elapsed, Percentile(all, 0.5), Percentile(all, 0.99));
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}
