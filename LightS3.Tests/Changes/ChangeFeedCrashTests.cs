using System.Text.Json.Nodes;
using LightS3.Changes;
using LightS3.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Tests.Changes;

/// <summary>A process dying between a feed entry and its record write never shows a change that did not happen.</summary>
[TestFixture(TestStore.S3, Category = External.Category)]
[TestFixture(TestStore.Memory)]
public sealed class ChangeFeedCrashTests(TestStore store)
{
    private FaultyStore? _faulty;

    private Task<TestApp> StartAsync() => ChangeApps.StartAsync(store, o => ChangeApps.Quick(o.Changes), wrapStore: s => _faulty = new FaultyStore(s));

    private static string IdOf(JsonObject o) => o["id"]!.GetValue<string>();

    /// <summary>The next record PUT fails after the entry was stored, and the cleanup a living process would do fails too.</summary>
    private void CrashAtTheRecordWrite()
    {
        _faulty!.FailPutsTo = key => key.StartsWith("tasks/records/", StringComparison.Ordinal);
        _faulty.Crashed = true;
    }

    private void Recover()
    {
        _faulty!.FailPutsTo = null;
        _faulty.Crashed = false;
    }

    [Test]
    public async Task A_create_that_crashed_after_its_entry_is_never_listed_and_holds_readers_only_while_it_could_still_land()
    {
        await using var app = await StartAsync();
        var options = app.App.Services.GetRequiredService<ChangeFeed>().Options;
        CrashAtTheRecordWrite();
        Assert.That(await app.PostAsync("/tasks", new { title = "ghost" }).StatusAsync(), Is.EqualTo(503));
        Recover();
        Assert.That((await app.ObjectStore.ListAsync("tasks/changes/", null, 10)).Entries, Has.Count.EqualTo(1), "the crash left its entry behind");
        var real = await app.CreateAsync("/tasks", new { title = "real" });

        await ChangeApps.SettleAsync(options);
        var (early, _) = await ChangeApps.ReadAllAsync(app.Client, "/tasks");
        Assert.That(early, Is.Empty, "a reader waits at an entry whose record may still land");

        await Task.Delay(options.PendingTimeout);
        var (changes, _) = await ChangeApps.ReadAllAsync(app.Client, "/tasks");
        Assert.That(changes.Select(c => c["record"]!["title"]!.GetValue<string>()), Is.EqualTo(new[] { "real" }), "no phantom, and the real write is there");
        Assert.That(IdOf(changes.Single()), Is.EqualTo(IdOf(real)));
    }

    [Test]
    public async Task An_update_that_crashed_after_its_entry_is_never_listed_even_after_the_version_number_was_reused()
    {
        await using var app = await StartAsync();
        var options = app.App.Services.GetRequiredService<ChangeFeed>().Options;
        var id = IdOf(await app.CreateAsync("/tasks", new { title = "v1" }));
        CrashAtTheRecordWrite();
        Assert.That(await app.SendAsync(HttpMethod.Patch, $"/tasks/{id}", new { title = "ghost", version = 1 }).StatusAsync(), Is.EqualTo(503));
        Recover();
        await Task.Delay(10); // a later updated_at for the real version 2
        Assert.That(await app.SendAsync(HttpMethod.Patch, $"/tasks/{id}", new { title = "v2", version = 1 }).StatusAsync(), Is.EqualTo(200));
        Assert.That(await app.SendAsync(HttpMethod.Patch, $"/tasks/{id}", new { title = "v3", version = 2 }).StatusAsync(), Is.EqualTo(200));
        Assert.That((await app.ObjectStore.ListAsync("tasks/changes/", null, 10)).Entries, Has.Count.EqualTo(4), "two entries announce version 2");

        await ChangeApps.SettleAsync(options);
        var (changes, _) = await ChangeApps.ReadAllAsync(app.Client, "/tasks");
        Assert.That(changes.Select(c => (c["version"]!.GetValue<long>(), c["record"]!["title"]!.GetValue<string>())),
            Is.EqualTo(new[] { (1L, "v1"), (2L, "v2"), (3L, "v3") }), "version 2 is verified through version 3's entry, the ghost is not shown");
    }
}
