using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LightS3.Tests.Support;

namespace LightS3.Tests.Querying;

/// <summary>
/// Page-number counts stay right after deletes (tombstones) and updates that move records between index values, with
/// and without an indexed filter, on every store (the embedded and memory stores count through the store, S3 by
/// listing). Counts come from the fluent API, which runs the same engine as <c>?page=</c>.
/// </summary>
[TestFixture(TestStore.Memory)]
[TestFixture(TestStore.Embedded)]
[TestFixture(TestStore.S3, Category = External.Category)]
public sealed class PageNumberCountTests(TestStore store)
{
    [Test]
    public async Task Counts_follow_deletes_and_updates_with_and_without_an_indexed_filter()
    {
        await using var app = await TestApp.StartAsync(store, a => a.Register<ScaleEndpoint>("/scale"));
        var ids = await app.SeedAsync("/scale", Enumerable.Range(0, 60).Select(i => new { name = $"item {i}", team = $"team-{i % 3}", score = i }));
        Task<long> Count(string? team = null) => (team is null ? app.App.Query("/scale") : app.App.Query("/scale").Where("team", team)).CountAsync();
        Assert.That((await Count(), await Count("team-0"), await Count("team-1")), Is.EqualTo((60L, 20L, 20L)));

        // delete three team-0 records, move four team-1 records to team-2
        foreach (var i in new[] { 0, 3, 6 })
            Assert.That((int)(await app.Client.DeleteAsync($"/scale/{ids[i]}")).StatusCode, Is.EqualTo(204));
        foreach (var i in new[] { 1, 4, 7, 10 })
        {
            var current = await app.Client.GetAsync($"/scale/{ids[i]}").JsonAsync();
            var patch = await app.Client.PatchAsJsonAsync($"/scale/{ids[i]}", new JsonObject { ["team"] = "team-2", ["version"] = current["version"]!.GetValue<long>() });
            Assert.That((int)patch.StatusCode, Is.EqualTo(200), await patch.Content.ReadAsStringAsync());
        }
        Assert.That((await Count(), await Count("team-0"), await Count("team-1"), await Count("team-2"), await Count("team-9")),
            Is.EqualTo((57L, 17L, 16L, 24L, 0L)));
        var last = await app.App.Query("/scale").PaginateAsync(3, 20);
        Assert.That(last.Records, Has.Count.EqualTo(17), "page 3 of 57 holds the last 17");
        Assert.That(last.HasNext, Is.False);
        Assert.That(last.Records.Select(r => r.Id), Is.EqualTo(ids.Where((_, i) => i is not (0 or 3 or 6)).Order(StringComparer.Ordinal).Skip(40)));
    }
}
