using System.Text.Json.Nodes;
using LightS3.Endpoints;
using LightS3.Documents;
using LightS3.Hosting;
using LightS3.Migrations;
using LightS3.Storage;
using LightS3.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Tests.Migrations;

/// <summary>The runner in process: eager up and down through the update path, lazy up and finish, and the lease.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class EagerMigrationTests
{
    private static async Task<(TestApp App, List<string> Ids)> MigratedAppAsync(TestStore kind, int count)
    {
        var location = TestStores.NewLocation(kind);
        List<string> ids;
        await using (var before = await TestApp.StartAsync(kind, app => MigrationSamples.Register(app, MigrationSamples.Before), location: location))
            ids = await before.SeedAsync("/items", Enumerable.Range(0, count).Select(MigrationSamples.OldBody));
        return (await TestApp.StartAsync(kind, app => MigrationSamples.Register(app, MigrationSamples.After), location: location), ids);
    }

    private static MigrationRunner Runner(TestApp app) => new(app.App.Services.GetRequiredService<EndpointRegistry>(), app.App.Migrations, app.ObjectStore, TimeProvider.System);

    private static async Task<List<JsonObject>> StoredAsync(TestApp app)
    {
        var layout = app.Endpoint("/items").Repository.Layout;
        var all = new List<JsonObject>();
        await foreach (var e in app.ObjectStore.EnumerateAsync(layout.RecordsPrefix))
            all.Add(JsonNode.Parse((await app.ObjectStore.GetAsync(e.Key))!.Content.Span)!.AsObject());
        return all;
    }

    private static async Task<List<string>> IndexKeysAsync(TestApp app)
    {
        var keys = new List<string>();
        await foreach (var e in app.ObjectStore.EnumerateAsync(app.Endpoint("/items").Repository.Index.Root)) keys.Add(e.Key);
        return keys;
    }

    [Test]
    public async Task Up_rewrites_every_record_once_and_moves_its_index_entries_and_down_brings_the_stored_shape_back()
    {
        var (app, ids) = await MigratedAppAsync(TestStore.Embedded, 40);
        await using var _ = app;
        var runner = Runner(app);
        var (applied, passes) = await runner.UpAsync(null, lazy: false, new MigrationRunOptions { BatchSize = 7 });
        Assert.That(applied.Select(m => m.Id), Is.EqualTo(new[] { "001_rename_title", MigrationSamples.Latest }));
        Assert.That(passes.Single().Migrated, Is.EqualTo(40), "both migrations in one rewrite per record");

        var stored = await StoredAsync(app);
        Assert.That(stored, Has.Count.EqualTo(40));
        Assert.That(stored.Select(r => r["version"]!.GetValue<long>()), Is.All.EqualTo(2), "one write per record");
        Assert.That(stored.Select(r => r.ContainsKey("title")), Is.All.False);
        Assert.That(stored.Select(r => r[SchemaStamp.Field]!.GetValue<string>()), Is.All.EqualTo(MigrationSamples.Latest));
        Assert.That(stored.Single(r => r["seq"]!.GetValue<int>() == 7)["price"]!.ToJsonString(), Is.EqualTo("7.50"));

        var index = await IndexKeysAsync(app);
        Assert.That(index.Where(k => k.Contains("/index/title/")), Is.Empty, "the renamed field's entries are gone");
        Assert.That(index.Count(k => k.Contains("/index/name/")), Is.EqualTo(40), "one entry per record, at its new version");
        var found = (await app.Client.GetAsync("/items?name=item-00007").JsonAsync())["results"]!.AsArray();
        Assert.That(found.Single()!["id"]!.GetValue<string>(), Is.EqualTo(ids[7]));

        var again = await runner.UpAsync(null, lazy: false, new MigrationRunOptions());
        Assert.That(again.Applied, Is.Empty);
        Assert.That((await runner.StatusAsync()).Select(s => s.State), Is.All.EqualTo("applied"));

        var (reverted, pass) = await runner.DownAsync(new MigrationRunOptions());
        Assert.That(reverted.Id, Is.EqualTo(MigrationSamples.Latest));
        Assert.That(pass.Migrated, Is.EqualTo(40));
        reverted = (await runner.DownAsync(new MigrationRunOptions())).Reverted;
        Assert.That(reverted.Id, Is.EqualTo("001_rename_title"));
        stored = await StoredAsync(app);
        Assert.That(stored.Single(r => r["seq"]!.GetValue<int>() == 7)["title"]!.GetValue<string>(), Is.EqualTo("item-00007"));
        Assert.That(stored.Single(r => r["seq"]!.GetValue<int>() == 7)["price"]!.GetValue<string>(), Is.EqualTo("7.50"));
        Assert.That(stored.Select(r => r.ContainsKey(SchemaStamp.Field)), Is.All.False);
        Assert.That((await runner.StatusAsync()).Select(s => s.State), Is.All.EqualTo("pending"));
        Assert.ThrowsAsync<MigrationUsageException>(() => runner.DownAsync(new MigrationRunOptions()), "nothing left to revert");
    }

    [Test]
    public async Task Lazy_up_only_logs_and_finish_rewrites_the_records()
    {
        var (app, _) = await MigratedAppAsync(TestStore.Embedded, 12);
        await using var __ = app;
        var runner = Runner(app);
        var (applied, passes) = await runner.UpAsync(null, lazy: true, new MigrationRunOptions());
        Assert.That(applied, Has.Count.EqualTo(2));
        Assert.That(passes, Is.Empty);
        var stored = await StoredAsync(app);
        Assert.That(stored, Has.Count.EqualTo(12));
        Assert.That(stored.Select(r => r.ContainsKey("title")), Is.All.True, "nothing rewritten");
        Assert.That((await runner.StatusAsync()).Select(s => s.State), Is.All.EqualTo("lazy"));

        var finished = await runner.FinishAsync(new MigrationRunOptions());
        Assert.That(finished.Single().Migrated, Is.EqualTo(12));
        Assert.That((await StoredAsync(app)).Select(r => r.ContainsKey("title")), Is.All.False);
        Assert.That((await runner.StatusAsync()).Select(s => s.State), Is.All.EqualTo("applied"));
    }

    [Test]
    public async Task A_second_runner_is_refused_while_the_lease_is_held_and_with_wait_runs_once_it_is_released()
    {
        var (app, _) = await MigratedAppAsync(TestStore.Embedded, 3);
        await using var __ = app;
        var runner = Runner(app);
        var held = await MigrationLease.AcquireAsync(app.ObjectStore, TimeProvider.System, TimeSpan.FromSeconds(30), wait: false);
        var refused = Assert.ThrowsAsync<MigrationLeaseHeldException>(() => runner.UpAsync(null, false, new MigrationRunOptions()))!;
        Assert.That(refused.Message, Does.Contain("another migration runner holds the lease").And.Contain("--wait"));
        Assert.That((await runner.StatusAsync()).Select(s => s.State), Is.All.EqualTo("pending"), "the refused runner did nothing");

        var told = new List<string>();
        var waiting = runner.UpAsync(null, false, new MigrationRunOptions { Wait = true, Waiting = told.Add });
        await Task.Delay(1500);
        Assert.That(waiting.IsCompleted, Is.False);
        await held.DisposeAsync();
        var (applied, _) = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(applied, Has.Count.EqualTo(2));
        Assert.That(told.Single(), Does.StartWith("waiting for the migration lease"));
    }

    [Test]
    public async Task A_lease_left_by_a_runner_that_died_is_taken_over_once_it_expires()
    {
        var store = new InMemoryObjectStore(new RequestCounter());
        var dead = await MigrationLease.AcquireAsync(store, TimeProvider.System, TimeSpan.FromSeconds(1), wait: false);
        Assert.ThrowsAsync<MigrationLeaseHeldException>(() => MigrationLease.AcquireAsync(store, TimeProvider.System, TimeSpan.FromSeconds(1), wait: false));
        // simulate a crash: the lease is never renewed again, and never released
        var stored = await store.GetAsync(MigrationKeys.Lease);
        await store.PutAsync(MigrationKeys.Lease, System.Text.Encoding.UTF8.GetBytes(
            System.Text.Encoding.UTF8.GetString(stored!.Content.Span).Replace("\"released\": false", "\"released\": false ")), WriteCondition.None);
        await Task.Delay(1200);
        await using var next = await MigrationLease.AcquireAsync(store, TimeProvider.System, TimeSpan.FromSeconds(1), wait: false);
        await Task.Delay(600);
        Assert.That(dead.Lost.IsCancellationRequested, Is.True, "the old holder learns it lost the lease at its next renewal");
        await dead.DisposeAsync();
    }
}
