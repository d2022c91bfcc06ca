using System.Net;
using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Tests.Support;

namespace LightS3.Tests.Migrations;

/// <summary>
/// Lazy migrations: once an app declares a migration, reads return the new shape at once, with nothing rewritten; the
/// next write persists it; new records carry the latest schema.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class LazyMigrationTests
{
    [TestCase(TestStore.Embedded)]
    [TestCase(TestStore.S3, Category = External.Category)]
    public async Task Reads_return_the_new_shape_immediately_and_the_next_write_persists_it(TestStore kind)
    {
        var location = TestStores.NewLocation(kind);
        List<string> ids;
        await using (var before = await TestApp.StartAsync(kind, app => MigrationSamples.Register(app, MigrationSamples.Before), location: location))
            ids = await before.SeedAsync("/items", Enumerable.Range(0, 5).Select(MigrationSamples.OldBody));

        await using var after = await TestApp.StartAsync(kind, app => MigrationSamples.Register(app, MigrationSamples.After), location: location);
        var one = await after.Client.GetAsync($"/items/{ids[3]}").JsonAsync();
        Assert.That(one["name"]!.GetValue<string>(), Is.EqualTo("item-00003"));
        Assert.That(one.ContainsKey("title"), Is.False);
        Assert.That(one["price"]!.GetValue<decimal>(), Is.EqualTo(3.50m));
        Assert.That(one[SchemaStamp.Field]!.GetValue<string>(), Is.EqualTo(MigrationSamples.Latest));
        var list = (await after.Client.GetAsync("/items").JsonAsync())["results"]!.AsArray();
        Assert.That(list.Select(r => r!["name"]!.GetValue<string>()), Is.EquivalentTo(Enumerable.Range(0, 5).Select(i => $"item-{i:D5}")));

        var stored = await StoredAsync(after, ids[3]);
        Assert.That(stored["title"]!.GetValue<string>(), Is.EqualTo("item-00003"), "lazy: nothing was rewritten");
        Assert.That(stored.ContainsKey(SchemaStamp.Field), Is.False);

        var patch = await after.SendAsync(HttpMethod.Patch, $"/items/{ids[3]}", new { seq = 33, version = 1 });
        Assert.That(patch.StatusCode, Is.EqualTo(HttpStatusCode.OK), await patch.Content.ReadAsStringAsync());
        stored = await StoredAsync(after, ids[3]);
        Assert.That(stored.ContainsKey("title"), Is.False, "the write persisted the upgrade");
        Assert.That(stored["name"]!.GetValue<string>(), Is.EqualTo("item-00003"));
        Assert.That(stored["price"]!.GetValue<decimal>(), Is.EqualTo(3.50m));
        Assert.That(stored[SchemaStamp.Field]!.GetValue<string>(), Is.EqualTo(MigrationSamples.Latest));
        Assert.That(stored["seq"]!.GetValue<int>(), Is.EqualTo(33));

        var created = await after.CreateAsync("/items", new { name = "fresh", price = 1.25m, seq = 99 });
        Assert.That((await StoredAsync(after, created["id"]!.GetValue<string>()))[SchemaStamp.Field]!.GetValue<string>(), Is.EqualTo(MigrationSamples.Latest),
            "a new record is born at the latest schema, so no migration ever applies to it");
    }

    private static async Task<JsonObject> StoredAsync(TestApp app, string id)
    {
        var layout = app.Endpoint("/items").Repository.Layout;
        var stored = await app.ObjectStore.GetAsync(layout.RecordKey(id));
        return JsonNode.Parse(stored!.Content.Span)!.AsObject();
    }
}
