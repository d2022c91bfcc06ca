using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace LightS3.Diagnostics;

/// <summary>
/// LightS3's <see cref="Meter"/> and <see cref="ActivitySource"/>, both named <c>LightS3</c>: add them to OpenTelemetry
/// with <c>.AddMeter("LightS3")</c> and <c>.AddSource("LightS3")</c>, or watch them with
/// <c>dotnet-counters monitor --counters LightS3</c>. See docs/observability.md.
/// </summary>
public static class LightS3Telemetry
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "LightS3";

    /// <summary>The activity source: one span per store operation.</summary>
    public static readonly ActivitySource Source = new(Name);

    /// <summary>The meter.</summary>
    public static readonly Meter Meter = new(Name);

    /// <summary>Store requests, tagged <c>lights3.store.operation</c> (get, put, delete, list) and <c>lights3.store.outcome</c>
    /// (ok, not_found, precondition_failed, unavailable, error).</summary>
    public static readonly Counter<long> StoreRequests = Meter.CreateCounter<long>("lights3.store.requests", "{request}", "Requests LightS3 made to its object store");

    /// <summary>Duration of store requests, same tags.</summary>
    public static readonly Histogram<double> StoreDuration = Meter.CreateHistogram<double>("lights3.store.duration", "s", "Duration of object store requests");

    /// <summary>Compare-and-swap writes refused by the store (a concurrent writer won), tagged with the operation.</summary>
    public static readonly Counter<long> CasConflicts = Meter.CreateCounter<long>("lights3.store.cas_conflicts", "{conflict}", "Conditional writes refused by the store");

    /// <summary>Response-cache lookups, tagged <c>lights3.cache.result</c>: hit, miss, bypass.</summary>
    public static readonly Counter<long> CacheLookups = Meter.CreateCounter<long>("lights3.cache.lookups", "{lookup}", "Response cache lookups by result");

    /// <summary>
    /// Index hits verified against their record, tagged <c>lights3.collection</c> and <c>lights3.index.outcome</c>:
    /// accepted, or rejected (a stale entry left by a crash or a lost race, or a hit other conditions refuse). A high
    /// rejected share means stale entries to collect with a reindex, or a plan reading more than it serves.
    /// </summary>
    public static readonly Counter<long> IndexVerifications = Meter.CreateCounter<long>("lights3.index.verifications", "{hit}", "Index hits verified against their record");

    /// <summary>Counts one verified index hit.</summary>
    internal static void CountIndexVerification(string collection, bool accepted) =>
        CountIndexVerifications(collection, accepted ? 1 : 0, accepted ? 0 : 1);

    /// <summary>Counts verified index hits.</summary>
    internal static void CountIndexVerifications(string collection, int accepted, int rejected)
    {
        if (accepted > 0) IndexVerifications.Add(accepted, new KeyValuePair<string, object?>("lights3.collection", collection), new KeyValuePair<string, object?>("lights3.index.outcome", "accepted"));
        if (rejected > 0) IndexVerifications.Add(rejected, new KeyValuePair<string, object?>("lights3.collection", collection), new KeyValuePair<string, object?>("lights3.index.outcome", "rejected"));
    }

    /// <summary>Counts one response-cache lookup.</summary>
    internal static void CountCacheLookup(string result) =>
        CacheLookups.Add(1, new KeyValuePair<string, object?>("lights3.cache.result", result));
}
