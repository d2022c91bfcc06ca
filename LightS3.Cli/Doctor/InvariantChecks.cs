using LightS3.Documents;
using LightS3.Hosting;
using LightS3.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LightS3.Cli.Doctor;

/// <summary>
/// <see cref="StoreInvariants"/> over every collection a command knows: the endpoints of its configuration (or of the
/// C# app) and the auth module's. Used by <c>restore</c> (repairing, as nothing writes the new store yet) and
/// <c>doctor --check-invariants [--repair]</c> (on a store in use: others' claims count as orphans only after the grace).
/// </summary>
internal static class InvariantChecks
{
    /// <summary>Checks (or repairs) each collection, in name order.</summary>
    public static async Task<IReadOnlyList<InvariantReport>> RunAsync(LightS3App app, IEnumerable<EndpointModel> models, bool repair, bool storeInUse, CancellationToken ct)
    {
        var documents = app.Services.GetRequiredService<DocumentStore>();
        var options = app.Services.GetRequiredService<IOptions<LightS3Options>>().Value;
        foreach (var model in models.Concat(Auth.Module.AuthCollections.All))
        {
            try
            {
                documents.Open(model);
            }
            catch (ConfigurationException)
            {
                // the collection is open already (a C# app's registered endpoint, or two endpoints sharing it)
            }
        }
        var time = app.Services.GetRequiredService<TimeProvider>();
        var grace = storeInUse ? options.UniqueClaimGrace : TimeSpan.Zero;
        var reports = new List<InvariantReport>();
        foreach (var records in documents.Collections.OrderBy(r => r.Layout.Collection, StringComparer.Ordinal))
            reports.Add(await new StoreInvariants(records, time, grace, options.ReadParallelism).RunAsync(repair, ct));
        return reports;
    }

    /// <summary>One table row per collection with records (what was missing and whether it was written), then every unresolved problem.</summary>
    public static void Print(CliOutput output, IReadOnlyList<InvariantReport> reports)
    {
        output.Table(["COLLECTION", "RECORDS", "UNCLAIMED UNIQUE VALUES", "MISSING INDEX ENTRIES", "MISSING EXPIRY ENTRIES", "RESULT"],
            reports.Where(r => r.Records > 0 || r.Violated).Select(r => (IReadOnlyList<string>)
            [
                r.Collection, r.Records.ToString(), r.UniqueClaims.ToString(), r.IndexEntries.ToString(), r.ExpiryEntries.ToString(),
                r.Unresolved.Count > 0 ? $"{r.Unresolved.Count} unresolved" : !r.Violated ? "ok" : r.Repaired ? "repaired" : "violated (--repair writes them)",
            ]));
        foreach (var problem in reports.SelectMany(r => r.Unresolved)) output.Line(problem);
    }

    /// <summary>The one-line summary.</summary>
    public static string Summary(IReadOnlyList<InvariantReport> reports)
    {
        long claims = reports.Sum(r => r.UniqueClaims), entries = reports.Sum(r => r.IndexEntries), expiry = reports.Sum(r => r.ExpiryEntries);
        var unresolved = reports.Sum(r => r.Unresolved.Count);
        var verb = reports.Any(r => r.Repaired) ? "repaired" : "found";
        return $"invariants: {reports.Sum(r => r.Records)} records checked; {verb} {claims} unclaimed unique value(s), {entries} missing index entr{(entries == 1 ? "y" : "ies")}, {expiry} missing expiry entr{(expiry == 1 ? "y" : "ies")}; {unresolved} unresolved";
    }
}
