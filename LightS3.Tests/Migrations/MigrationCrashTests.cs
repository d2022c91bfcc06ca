using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Migrations;
using LightS3.Storage;
using LightS3.Tests.Cli;
using LightS3.Tests.Support;

namespace LightS3.Tests.Migrations;

/// <summary>
/// An eager rename + type change over 10,000 records on RGW, run by the published tool, killed mid-way and resumed,
/// while a live app keeps updating records: every record migrated exactly once, indexes right, no acknowledged write lost.
/// </summary>
[Category(External.Category)]
public sealed class MigrationCrashTests
{
    private const int Count = 10_000;

    [Test]
    public async Task A_migration_killed_mid_way_resumes_and_migrates_every_record_exactly_once_without_losing_concurrent_writes()
    {
        var prefix = S3TestServer.NewPrefix("mig-crash");
        List<string> ids;
        await using (var before = await TestApp.StartAsync(TestStore.S3, app => MigrationSamples.Register(app, MigrationSamples.Before), location: prefix))
            ids = await before.SeedAsync("/items", Enumerable.Range(0, Count).Select(MigrationSamples.OldBody), parallelism: 32);
        var indexOf = ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);

        using var ws = CliWorkspace.Create(CliWorkspace.S3Storage(prefix) + MigrationSamples.After);
        await using var live = await TestApp.StartAsync(TestStore.S3, app => MigrationSamples.Register(app, MigrationSamples.After), location: prefix);

        // a live app updates records all along; every acknowledged (200) write is remembered
        var acknowledged = new ConcurrentDictionary<string, (int Seq, int Writes)>();
        using var stopWriters = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            var n = 0;
            while (!stopWriters.IsCancellationRequested)
            {
                var id = ids[random.Next(Count)];
                var seq = 1_000_000 + w * 100_000 + n++;
                for (var attempt = 0; attempt < 20; attempt++)
                {
                    var current = await live.Client.GetAsync($"/items/{id}").JsonAsync();
                    var patch = await live.SendAsync(HttpMethod.Patch, $"/items/{id}", new { seq, version = current["version"]!.GetValue<long>() });
                    if (patch.StatusCode == HttpStatusCode.OK)
                    {
                        acknowledged.AddOrUpdate(id, (seq, 1), (_, old) => (seq, old.Writes + 1));
                        break;
                    }
                    Assert.That(patch.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), await patch.Content.ReadAsStringAsync());
                }
                await Task.Delay(20);
            }
        })).ToList();

        using var store = new S3ObjectStore(S3TestServer.Options(prefix), new RequestCounter());
        var firstErrors = new System.Text.StringBuilder();
        using (var first = StartTool(ws, firstErrors, "migrate", "up", "--lease-ttl", "3", "--parallel", "8"))
        {
            var deadline = DateTime.UtcNow.AddMinutes(4);
            while ((await MigrationCheckpoint.ReadAsync(store, CancellationToken.None))?.Processed is not >= 1500)
            {
                if (first.HasExited) Assert.Fail($"the first run ended before it was killed: exit {first.ExitCode}\n{firstErrors}");
                Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "no progress within 4 minutes");
                await Task.Delay(100);
            }
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }
        var atKill = await MigrationCheckpoint.ReadAsync(store, CancellationToken.None);
        Assert.That(atKill!.Processed, Is.LessThan(Count), "killed mid-way");
        Assert.That((await MigrationLog.ReadAsync(store)).Applied, Is.Empty, "nothing logged as applied yet");

        var resumed = await Lights3Process.RunAsync(ws.Directory, ws.Env, null, 900, "migrate", "up", "--wait", "--lease-ttl", "3");
        Assert.That(resumed.ExitCode, Is.Zero, resumed.ToString());
        Assert.That(resumed.Errors, Does.Contain("resumed from a checkpoint"));
        await stopWriters.CancelAsync();
        await Task.WhenAll(writers);
        Assert.That(acknowledged, Is.Not.Empty, "the live app wrote while the migration ran");

        var layout = live.Endpoint("/items").Repository.Layout;
        var model = live.Endpoint("/items").Model;
        var index = live.Endpoint("/items").Repository.Index;
        var indexKeys = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var e in store.EnumerateAsync(index.Root)) indexKeys.Add(e.Key);
        Assert.That(indexKeys.Where(k => k.Contains("/index/title/")), Is.Empty, "the renamed field's entries are gone");

        var stored = new ConcurrentBag<JsonObject>();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (id, ct) =>
            stored.Add(JsonNode.Parse((await store.GetAsync(layout.RecordKey(id), ct))!.Content.Span)!.AsObject()));
        Assert.That(stored, Has.Count.EqualTo(Count));
        var problems = new List<string>();
        foreach (var record in stored)
        {
            var id = record["id"]!.GetValue<string>();
            var i = indexOf[id];
            var version = record["version"]!.GetValue<long>();
            var (seq, writes) = acknowledged.TryGetValue(id, out var a) ? a : (i, 0);
            if (record.ContainsKey("title") || record[SchemaStamp.Field]?.GetValue<string>() != MigrationSamples.Latest) problems.Add($"{id}: not migrated: {record.ToJsonString()}");
            else if (record["name"]!.GetValue<string>() != $"item-{i:D5}" || record["price"]!.GetValue<decimal>() != i % 100 + 0.5m) problems.Add($"{id}: wrong values: {record.ToJsonString()}");
            else if (record["seq"]!.GetValue<int>() != seq) problems.Add($"{id}: acknowledged seq {seq} lost: {record.ToJsonString()}");
            // created (1) + each acknowledged update + at most one migration write (none when a live write upgraded it first)
            else if (writes == 0 ? version != 2 : version < 1 + writes || version > 2 + writes) problems.Add($"{id}: version {version} after {writes} update(s): migrated twice or lost");
            else if (!index.EntryKeys(model.Field("name")!, record, id, version).All(indexKeys.Contains)) problems.Add($"{id}: index entry of name missing");
        }
        Assert.That(problems, Is.Empty, string.Join("\n", problems.Take(20)));
        var found = (await live.Client.GetAsync($"/items?name=item-{Count - 1:D5}").JsonAsync())["results"]!.AsArray();
        Assert.That(found.Single()!["id"]!.GetValue<string>(), Is.EqualTo(ids[^1]));
    }

    private static Process StartTool(CliWorkspace ws, System.Text.StringBuilder errors, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet", [External.HostDll, .. args])
        {
            WorkingDirectory = ws.Directory, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment.Remove("LIGHTS3_CONFIG");
        foreach (var (k, v) in ws.Env) info.Environment[k] = v;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { lock (errors) errors.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
