using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Endpoints;
using LightS3.Hosting;
using LightS3.Storage;
using LightS3.Tests.Support;
using LightS3.Yaml;
using LightS3.Yaml.Config;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Tests.Cli;

/// <summary>
/// A backup taken under writes copies a record and its unique marker at different moments; <c>restore</c> (and
/// <c>doctor --check-invariants --repair</c>) re-derive claims and index entries from the records.
/// </summary>
[Parallelizable(ParallelScope.All)]
[Category(External.Category)] // runs the published lights3 host
public sealed class RestoreInvariantsTests
{
    private const string Tags = """
        endpoints:
          - route: /tags
            fields:
              label: { type: str, min_length: 2, unique: true }
              weight: { type: int, optional: true, index: true }

        """;

    private static CliWorkspace Workspace(bool s3, string name)
    {
        var ws = CliWorkspace.Create("");
        ws.Write("lightapi.yaml", (s3 ? CliWorkspace.S3Storage(S3TestServer.NewPrefix(name)) : ws.FileStorage) + Tags);
        return ws;
    }

    /// <summary>The workspace's app in this process (not started): its /tags repository and store, beside the tool's processes.</summary>
    private static LightS3App App(CliWorkspace ws) =>
        YamlApp.Build(YamlConfigReader.ReadFile(Path.Combine(ws.Directory, "lightapi.yaml")), [], LightS3.Cli.CliHost.Quiet);

    private static RecordRepository TagsOf(LightS3App app) => app.Services.GetRequiredService<EndpointRegistry>().Get("/tags").Repository;

    [TestCase(false)]
    [TestCase(true)]
    public async Task A_backup_taken_under_creates_updates_and_deletes_restores_with_every_live_unique_value_taken(bool s3)
    {
        using var source = Workspace(s3, "cli-inv");
        await using var app = App(source);
        var tags = TagsOf(app);
        var live = new List<string>();
        for (var i = 0; i < 400; i++) live.Add((await tags.InsertAsync(new JsonObject { ["label"] = $"seed-{i:D3}", ["weight"] = i })).Id);

        // a backup races the writers until one of them caught a record and its marker in different states (at most 5 tries)
        string? backup = null;
        long repaired = 0, writesDuringBackup = 0;
        CliRun? restore = null;
        CliWorkspace? copy = null;
        for (var attempt = 0; attempt < 5 && repaired == 0; attempt++)
        {
            copy?.Dispose();
            backup = Path.Combine(source.Directory, $"backup-{attempt}");
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 4).Select(w => WriteAsync(tags, live, w + 10 * attempt, stop.Token)).ToList();
            var run = await source.RunAsync("backup", backup);
            await stop.CancelAsync();
            writesDuringBackup = (await Task.WhenAll(writers)).Sum();
            Assert.That(run.ExitCode, Is.Zero, run.ToString());

            copy = Workspace(s3, "cli-inv-rs");
            restore = await copy.RunAsync("restore", backup);
            Assert.That(restore.ExitCode, Is.Zero, restore.ToString());
            var summary = restore.Errors.Split('\n').Single(l => l.StartsWith("invariants:", StringComparison.Ordinal));
            repaired = long.Parse(summary.Split("repaired ")[1].Split(' ')[0]);
            TestContext.Out.WriteLine($"attempt {attempt}: {writesDuringBackup} writes during the backup; {summary}");
        }
        using var _ = copy;
        Assert.That(writesDuringBackup, Is.GreaterThan(0), "the writers ran while the backup copied");
        Assert.That(repaired, Is.GreaterThan(0), $"positive control: some backup caught a live record whose value its marker no longer claimed\n{restore}");

        var exported = await copy!.RunAsync("export", "--route", "/tags");
        Assert.That(exported.ExitCode, Is.Zero, exported.ToString());
        var labels = exported.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!["label"]!.GetValue<string>()).ToList();
        Assert.That(labels, Has.Count.GreaterThan(100));
        var again = await copy.RunAsync("import", copy.Write("again.ndjson", string.Concat(labels.Select(l => $"{{\"label\":\"{l}\"}}\n"))), "--route", "/tags");
        var rejected = again.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(rejected, Has.Length.EqualTo(labels.Count), again.ToString());
        Assert.That(rejected.Where(l => !l.Contains(": 409 ", StringComparison.Ordinal)), Is.Empty, "every restored live value is taken");
        Assert.That(again.Errors, Does.Contain("imported 0 records"));
    }

    /// <summary>Creates, renames (to fresh values) and deletes records until stopped; returns how many writes succeeded.</summary>
    private static async Task<int> WriteAsync(RecordRepository tags, List<string> live, int seed, CancellationToken stop)
    {
        await Task.Yield();
        var random = new Random(seed);
        var writes = 0;
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            string? id;
            lock (live) id = live.Count == 0 ? null : live[random.Next(live.Count)];
            try
            {
                switch (id is null ? 0 : random.Next(3))
                {
                    case 0:
                        var created = await tags.InsertAsync(new JsonObject { ["label"] = $"new-{seed}-{n}", ["weight"] = n });
                        lock (live) live.Add(created.Id);
                        break;
                    case 1 when await tags.GetAsync(id!) is { } current:
                        await tags.ReplaceAsync(current, new JsonObject { ["label"] = $"upd-{seed}-{n}", ["weight"] = n });
                        break;
                    default:
                        await tags.DeleteAsync(id!, null);
                        lock (live) live.Remove(id!);
                        break;
                }
                writes++;
            }
            catch (LightS3Exception)
            {
                // another writer got there first
            }
        }
        return writes;
    }

    [Test]
    public async Task Doctor_check_invariants_finds_what_is_missing_repairs_it_and_names_two_records_holding_one_value()
    {
        using var ws = Workspace(false, "");
        await using var app = App(ws);
        var tags = TagsOf(app);
        var store = app.Services.GetRequiredService<IObjectStore>();
        var a = await tags.InsertAsync(new JsonObject { ["label"] = "alpha", ["weight"] = 1 });
        var b = await tags.InsertAsync(new JsonObject { ["label"] = "beta", ["weight"] = 2 });
        await tags.InsertAsync(new JsonObject { ["label"] = "gamma", ["weight"] = 3 });
        // what a copy made object by object can hold: a marker gone, a marker free, an index entry gone
        await store.DeleteAsync(tags.Layout.UniqueKey("label", "alpha"));
        await store.PutAsync(tags.Layout.UniqueKey("label", "beta"), MarkerBodies.Free(0), WriteCondition.None);
        var entry = tags.Index.EntryKeys(tags.Model.Field("weight")!, b.Peek(), b.Id, 1).Single();
        await store.DeleteAsync(entry);

        var check = await ws.RunAsync("doctor", "--check-invariants");
        Assert.That(check.ExitCode, Is.EqualTo(1), check.ToString());
        Assert.That(check.Errors, Does.Contain("found 2 unclaimed unique value(s), 1 missing index entry, 0 missing expiry entries; 0 unresolved"));
        Assert.That(await store.GetAsync(entry), Is.Null, "a check alone writes nothing");
        Assert.That(await CreateAsync(ws, "alpha"), Does.Contain("imported 1 records"), "positive control: before the repair the value is free");

        // the import took alpha for a second record: a duplicate no repair can resolve without choosing
        var repair = await ws.RunAsync("doctor", "--check-invariants", "--repair");
        Assert.That(repair.ExitCode, Is.EqualTo(1), repair.ToString());
        Assert.That(repair.Errors, Does.Contain("repaired 1 unclaimed unique value(s), 1 missing index entry"));
        var duplicate = repair.Output.Split('\n').Single(l => l.Contains("both hold label = 'alpha'"));
        Assert.That(duplicate, Does.Contain(a.Id), "names both records");
        Assert.That(await store.GetAsync(entry), Is.Not.Null, "the entry is written again");
        Assert.That(await CreateAsync(ws, "beta"), Does.Contain("line 1: 409"), "beta is claimed again");

        var after = await ws.RunAsync("doctor", "--check-invariants");
        Assert.That(after.Errors, Does.Contain("found 0 unclaimed unique value(s), 0 missing index entries, 0 missing expiry entries; 1 unresolved"));
    }

    private static async Task<string> CreateAsync(CliWorkspace ws, string label)
    {
        var run = await ws.RunAsync("import", ws.Write($"{label}-{Guid.NewGuid():N}.ndjson", $"{{\"label\":\"{label}\"}}\n"), "--route", "/tags");
        return run.Output + run.Errors;
    }
}
