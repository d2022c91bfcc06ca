using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Hosting;
using LightS3.Storage;
using LightS3.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Tests.Time;

/// <summary>Expiry: expired records are invisible at once and purged by a sweep over the expiry index.</summary>
[TestFixture(TimeStore.S3, Category = External.Category)]
[TestFixture(TimeStore.File)]
[TestFixture(TimeStore.Memory)]
public sealed class ExpiryTests(TimeStore store)
{
    private Task<TestApp> StartAsync(string? location = null) =>
        TimeStores.StartAsync(store, a => a.Register<TicketEndpoint>("/tickets").Register<InviteEndpoint>("/invites").Register<PlainEndpoint>("/plain"), location: location);

    private static string IdOf(JsonObject o) => o["id"]!.GetValue<string>();

    private static ExpirySweepService Sweeper(TestApp app) => app.App.Services.GetRequiredService<ExpirySweepService>();

    private static async Task<int> CountAsync(TestApp app, string route) => (await (await app.Client.GetAsync(route)).JsonAsync())["results"]!.AsArray().Count;

    [Test]
    public async Task A_record_with_a_ttl_is_invisible_once_expired_and_the_sweep_purges_it_releasing_its_unique_value()
    {
        await using var app = await StartAsync();
        var ticket = await app.CreateAsync("/tickets", new { code = "T1" });
        var expires = DateTimeOffset.Parse(ticket["expires_at"]!.GetValue<string>());
        var written = DateTimeOffset.Parse(ticket["updated_at"]!.GetValue<string>());
        Assert.That(expires - written, Is.EqualTo(TimeSpan.FromSeconds(2)), "ttl counts from the last write");
        Assert.That(await app.Client.GetAsync($"/tickets/{IdOf(ticket)}").StatusAsync(), Is.EqualTo(200));
        Assert.That(await Sweeper(app).SweepOnceAsync(), Is.Zero, "not due yet");

        await Task.Delay(expires - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(200));
        Assert.That(await app.Client.GetAsync($"/tickets/{IdOf(ticket)}").StatusAsync(), Is.EqualTo(404), "invisible at once, before any sweep");
        Assert.That(await CountAsync(app, "/tickets"), Is.Zero);
        Assert.That(await app.App.Query("/tickets").CountAsync(), Is.Zero);

        Assert.That(await Sweeper(app).SweepOnceAsync(), Is.EqualTo(1));
        var stored = await app.ObjectStore.GetAsync(new CollectionLayout("tickets").RecordKey(IdOf(ticket)));
        Assert.That(stored is not null && Tombstones.Is(stored.Content.Span), "purged by a tombstone");
        Assert.That((await app.ObjectStore.ListAsync("tickets/expiry/", null, 10)).Entries, Is.Empty, "its index entry is gone");
        Assert.That(await app.PostAsync("/tickets", new { code = "T1" }).StatusAsync(), Is.EqualTo(201), "its unique value is free");
    }

    [Test]
    public async Task A_write_renews_a_ttl_and_moves_its_index_entry()
    {
        await using var app = await StartAsync();
        var ticket = await app.CreateAsync("/tickets", new { code = "T2" });
        await Task.Delay(300);
        var patched = await app.SendAsync(HttpMethod.Patch, $"/tickets/{IdOf(ticket)}", new { code = "T2b", version = 1 }).JsonAsync();
        Assert.That(DateTimeOffset.Parse(patched["expires_at"]!.GetValue<string>()), Is.GreaterThan(DateTimeOffset.Parse(ticket["expires_at"]!.GetValue<string>())));
        var entries = (await app.ObjectStore.ListAsync("tickets/expiry/", null, 10)).Entries;
        Assert.That(entries, Has.Count.EqualTo(1), "the old entry is removed after the write");
    }

    [Test]
    public async Task An_expires_at_field_hides_its_record_from_that_time_and_null_never_expires()
    {
        await using var app = await StartAsync();
        var past = await app.CreateAsync("/invites", new { email = "a@x.io", expires_at = DateTime.UtcNow.AddMinutes(-1) });
        var never = await app.CreateAsync("/invites", new { email = "b@x.io", expires_at = (DateTime?)null });
        var future = await app.CreateAsync("/invites", new { email = "c@x.io", expires_at = DateTime.UtcNow.AddHours(1) });
        Assert.That(await app.Client.GetAsync($"/invites/{IdOf(past)}").StatusAsync(), Is.EqualTo(404));
        Assert.That(await app.Client.GetAsync($"/invites/{IdOf(never)}").StatusAsync(), Is.EqualTo(200));
        Assert.That(await app.Client.GetAsync($"/invites/{IdOf(future)}").StatusAsync(), Is.EqualTo(200));
        Assert.That(await CountAsync(app, "/invites"), Is.EqualTo(2));
        Assert.That((await app.ObjectStore.ListAsync("invites/expiry/", null, 10)).Entries, Has.Count.EqualTo(2), "entries only for records that expire");
        Assert.That(await Sweeper(app).SweepOnceAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task The_sweep_reads_only_the_due_records_never_the_collection()
    {
        await using var app = await StartAsync();
        await app.SeedAsync("/invites", Enumerable.Range(0, 40).Select(i => (object)new { Email = $"u{i}@x.io", ExpiresAt = DateTime.UtcNow.AddHours(1) }));
        await app.SeedAsync("/invites", Enumerable.Range(0, 2).Select(i => (object)new { Email = $"old{i}@x.io", ExpiresAt = DateTime.UtcNow.AddMinutes(-1) }));
        var before = app.Counter.Snapshot();
        Assert.That(await app.Endpoint("/invites").Repository.SweepAsync(), Is.EqualTo(2));
        var cost = app.Counter.Snapshot().Minus(before);
        TestContext.Out.WriteLine($"{store}: sweep of 2 due among 42: {cost}");
        Assert.That(cost[StoreOperation.Get], Is.EqualTo(2), "one GET per due record");
        Assert.That(cost[StoreOperation.List], Is.EqualTo(1), "one listing of the expiry index, stopped at the first entry in the future");
    }

    [Test]
    public async Task Tracked_actors_come_from_the_callers_sub_and_clients_cannot_set_them()
    {
        await using var app = await StartAsync();
        var created = await app.AsAsync("alice", HttpMethod.Post, "/tickets", new { code = "A1" }).JsonAsync();
        Assert.That(created["created_by"]!.GetValue<string>(), Is.EqualTo("alice"));
        Assert.That(created["updated_by"]!.GetValue<string>(), Is.EqualTo("alice"));
        var patched = await app.AsAsync("bob", HttpMethod.Patch, $"/tickets/{IdOf(created)}", new { code = "A2", version = 1 }).JsonAsync();
        Assert.That(patched["created_by"]!.GetValue<string>(), Is.EqualTo("alice"));
        Assert.That(patched["updated_by"]!.GetValue<string>(), Is.EqualTo("bob"));
        var anonymous = await app.AsAsync(null, HttpMethod.Post, "/tickets", new { code = "A3" }).JsonAsync();
        Assert.That(anonymous["created_by"], Is.Null);
        // sent back (a GET response, an export line) they are ignored, never taken: the caller's sub is stamped
        var forged = await app.AsAsync("eve", HttpMethod.Post, "/tickets", new { code = "A4", created_by = "alice", updated_by = "alice" }).JsonAsync();
        Assert.That(forged["created_by"]!.GetValue<string>(), Is.EqualTo("eve"));
        Assert.That(forged["updated_by"]!.GetValue<string>(), Is.EqualTo("eve"));
    }
}

/// <summary>Several instances sweep one store at once.</summary>
[TestFixture(TimeStore.S3, Category = External.Category)]
[TestFixture(TimeStore.File)]
public sealed class ExpirySweepConcurrencyTests(TimeStore store)
{
    private Task<TestApp> StartAsync(string? location = null) =>
        TimeStores.StartAsync(store, a => a.Register<InviteEndpoint>("/invites"), location: location);

    private static ExpirySweepService Sweeper(TestApp app) => app.App.Services.GetRequiredService<ExpirySweepService>();

    [Test]
    public async Task Two_instances_sweeping_at_once_purge_every_due_record_and_nothing_else()
    {
        await using var a = await StartAsync();
        await using var b = await StartAsync(a.Location);
        var due = await a.SeedAsync("/invites", Enumerable.Range(0, 30).Select(i => (object)new { Email = $"old{i}@x.io", ExpiresAt = DateTime.UtcNow.AddMinutes(-1) }));
        var live = await a.SeedAsync("/invites", Enumerable.Range(0, 5).Select(i => (object)new { Email = $"new{i}@x.io", ExpiresAt = DateTime.UtcNow.AddHours(1) }));
        var purged = await Task.WhenAll(Sweeper(a).SweepOnceAsync(), Sweeper(b).SweepOnceAsync());
        TestContext.Out.WriteLine($"{store}: a purged {purged[0]}, b purged {purged[1]}");
        // on S3 a losing racer cannot always tell it lost (every tombstone has the same bytes), so both may count one record
        Assert.That(purged.Sum(), Is.InRange(30, 60));
        var layout = new CollectionLayout("invites");
        foreach (var id in due)
            Assert.That(await a.ObjectStore.GetAsync(layout.RecordKey(id)) is { } s && Tombstones.Is(s.Content.Span), $"{id} purged");
        foreach (var id in live) Assert.That(await b.Client.GetAsync($"/invites/{id}").StatusAsync(), Is.EqualTo(200));
        Assert.That((await a.ObjectStore.ListAsync("invites/expiry/", null, 100)).Entries, Has.Count.EqualTo(5), "only the live records' entries are left");
        Assert.That(await Sweeper(a).SweepOnceAsync() + await Sweeper(b).SweepOnceAsync(), Is.Zero);
    }
}
