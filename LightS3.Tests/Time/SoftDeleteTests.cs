using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Hosting;
using LightS3.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Tests.Time;

/// <summary>Soft delete: DELETE hides, admins list and restore, purge removes for good, retention purges automatically.</summary>
[TestFixture(TimeStore.S3, Category = External.Category)]
[TestFixture(TimeStore.File)]
[TestFixture(TimeStore.Memory)]
public sealed class SoftDeleteTests(TimeStore store)
{
    private static readonly CollectionLayout Notes = new("notes");

    private Task<TestApp> StartAsync() => TimeStores.StartAsync(store, a => a.Register<NoteEndpoint>("/notes").Register<DraftEndpoint>("/drafts"));

    private static string IdOf(JsonObject o) => o["id"]!.GetValue<string>();

    private static async Task<List<string>> TitlesAsync(HttpResponseMessage response)
    {
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync())["results"]!.AsArray().Select(r => r!["title"]!.GetValue<string>()).ToList();
    }

    [Test]
    public async Task A_soft_deleted_record_is_hidden_from_get_lists_counts_and_index_filters_but_keeps_its_body_marked_deleted_at()
    {
        await using var app = await StartAsync();
        var a = await app.CreateAsync("/notes", new { title = "a", tag = "x" });
        await app.CreateAsync("/notes", new { title = "b", tag = "x" });
        Assert.That(await app.SendAsync(HttpMethod.Delete, $"/notes/{IdOf(a)}").StatusAsync(), Is.EqualTo(204));

        Assert.That(await app.Client.GetAsync($"/notes/{IdOf(a)}").StatusAsync(), Is.EqualTo(404));
        var page = await (await app.Client.GetAsync("/notes")).JsonAsync();
        Assert.That(page["count"]!.GetValue<long>(), Is.EqualTo(1), "the page count excludes it");
        Assert.That(page["results"]!.AsArray().Select(r => r!["title"]!.GetValue<string>()), Is.EqualTo(new[] { "b" }));
        Assert.That(await TitlesAsync(await app.Client.GetAsync("/notes?tag=x")), Is.EqualTo(new[] { "b" }), "index hits exclude it");
        Assert.That(await app.App.Query("/notes").CountAsync(), Is.EqualTo(1));
        Assert.That(await app.SendAsync(HttpMethod.Delete, $"/notes/{IdOf(a)}").StatusAsync(), Is.EqualTo(404), "deleting again");
        Assert.That(await app.SendAsync(HttpMethod.Patch, $"/notes/{IdOf(a)}", new { title = "z", version = 2 }).StatusAsync(), Is.EqualTo(404), "updating it");

        var stored = RecordCodec.Decode("k", (await app.ObjectStore.GetAsync(Notes.RecordKey(IdOf(a))))!.Content);
        Assert.That(stored["title"]!.GetValue<string>(), Is.EqualTo("a"), "not a tombstone: the body is kept");
        Assert.That(stored["deleted_at"]!.GetValue<string>(), Is.EqualTo(stored["updated_at"]!.GetValue<string>()));
        Assert.That(stored["version"]!.GetValue<long>(), Is.EqualTo(2), "the delete is a new version, written by compare-and-swap");
    }

    [Test]
    public async Task A_soft_delete_with_a_stale_if_match_is_a_conflict_and_changes_nothing()
    {
        await using var app = await StartAsync();
        var created = await app.PostAsync("/notes", new { title = "a" });
        var staleETag = created.Headers.ETag!.ToString();
        var id = IdOf(await created.JsonAsync());
        Assert.That(await app.SendAsync(HttpMethod.Patch, $"/notes/{id}", new { tag = "t", version = 1 }).StatusAsync(), Is.EqualTo(200));
        Assert.That(await app.AsAsync(null, HttpMethod.Delete, $"/notes/{id}", ifMatch: staleETag).StatusAsync(), Is.EqualTo(409));
        Assert.That(await app.Client.GetAsync($"/notes/{id}").StatusAsync(), Is.EqualTo(200));
    }

    [Test]
    public async Task Export_reads_deleted_as_the_list_does_a_boolean_and_for_admins_only()
    {
        await using var app = await StartAsync();
        var a = await app.CreateAsync("/notes", new { title = "a" });
        await app.CreateAsync("/notes", new { title = "b" });
        Assert.That(await app.SendAsync(HttpMethod.Delete, $"/notes/{IdOf(a)}").StatusAsync(), Is.EqualTo(204));
        static async Task<List<string>> ExportedTitlesAsync(HttpResponseMessage response)
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
            return (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => JsonNode.Parse(l)!["title"]!.GetValue<string>()).ToList();
        }

        var maybe = await app.AsAsync("root", HttpMethod.Get, "/notes/_export?deleted=maybe", admin: true);
        Assert.That((int)maybe.StatusCode, Is.EqualTo(400), "as the list answers");
        Assert.That((await maybe.JsonAsync())["detail"]!.GetValue<string>(), Does.Contain("'deleted' must be true or false"));
        Assert.That(await app.AsAsync("bob", HttpMethod.Get, "/notes/_export?deleted=true").StatusAsync(), Is.EqualTo(403), "not an admin");
        Assert.That(await ExportedTitlesAsync(await app.AsAsync("root", HttpMethod.Get, "/notes/_export?deleted=true", admin: true)), Is.EqualTo(new[] { "a" }));
        Assert.That(await ExportedTitlesAsync(await app.AsAsync("root", HttpMethod.Get, "/notes/_export?deleted=false", admin: true)), Is.EqualTo(new[] { "b" }));
    }

    [Test]
    public async Task Only_admins_list_deleted_records_with_deleted_true()
    {
        await using var app = await StartAsync();
        var a = await app.CreateAsync("/notes", new { title = "a" });
        await app.CreateAsync("/notes", new { title = "b" });
        Assert.That(await app.SendAsync(HttpMethod.Delete, $"/notes/{IdOf(a)}").StatusAsync(), Is.EqualTo(204));

        Assert.That(await app.AsAsync(null, HttpMethod.Get, "/notes?deleted=true").StatusAsync(), Is.EqualTo(403), "anonymous");
        Assert.That(await app.AsAsync("bob", HttpMethod.Get, "/notes?deleted=true").StatusAsync(), Is.EqualTo(403), "not an admin");
        Assert.That(await TitlesAsync(await app.AsAsync("root", HttpMethod.Get, "/notes?deleted=true", admin: true)), Is.EqualTo(new[] { "a" }));
        Assert.That(await TitlesAsync(await app.AsAsync("root", HttpMethod.Get, "/notes?deleted=false", admin: true)), Is.EqualTo(new[] { "b" }));
        Assert.That(await app.AsAsync("root", HttpMethod.Get, "/notes?deleted=maybe", admin: true).StatusAsync(), Is.EqualTo(400));
        var deleted = await (await app.AsAsync("root", HttpMethod.Get, "/notes?deleted=true", admin: true)).JsonAsync();
        Assert.That(deleted["count"]!.GetValue<long>(), Is.EqualTo(1));
        Assert.That(deleted["results"]![0]!["deleted_at"], Is.Not.Null, "admins see when it was deleted");
    }

    [Test]
    public async Task An_admin_restores_a_soft_deleted_record_as_a_new_version()
    {
        await using var app = await StartAsync();
        var a = await app.CreateAsync("/notes", new { title = "a", tag = "x" });
        var id = IdOf(a);
        Assert.That(await app.AsAsync("bob", HttpMethod.Post, $"/notes/{id}/_restore").StatusAsync(), Is.EqualTo(409), "a live record is not deleted");
        Assert.That(await app.SendAsync(HttpMethod.Delete, $"/notes/{id}").StatusAsync(), Is.EqualTo(204));
        Assert.That(await app.AsAsync("bob", HttpMethod.Post, $"/notes/{id}/_restore").StatusAsync(), Is.EqualTo(404), "non-admins do not see it");

        var restored = await app.AsAsync("root", HttpMethod.Post, $"/notes/{id}/_restore", admin: true);
        Assert.That((int)restored.StatusCode, Is.EqualTo(200), await restored.Content.ReadAsStringAsync());
        var body = await restored.JsonAsync();
        Assert.That(body["version"]!.GetValue<long>(), Is.EqualTo(3));
        Assert.That(body["title"]!.GetValue<string>(), Is.EqualTo("a"));
        Assert.That(body.ContainsKey("deleted_at"), Is.False);
        Assert.That(restored.Headers.ETag, Is.Not.Null);
        Assert.That(await app.Client.GetAsync($"/notes/{id}").StatusAsync(), Is.EqualTo(200));
        Assert.That(await TitlesAsync(await app.Client.GetAsync("/notes?tag=x")), Is.EqualTo(new[] { "a" }), "back in the index");
        Assert.That(await app.AsAsync("root", HttpMethod.Post, $"/notes/{id}/_restore", admin: true).StatusAsync(), Is.EqualTo(409), "not deleted any more");
    }

    [Test]
    public async Task Unique_values_stay_reserved_while_soft_deleted_so_a_restore_never_conflicts()
    {
        await using var app = await StartAsync();
        var a = await app.CreateAsync("/notes", new { title = "same" });
        Assert.That(await app.SendAsync(HttpMethod.Delete, $"/notes/{IdOf(a)}").StatusAsync(), Is.EqualTo(204));
        Assert.That(await app.PostAsync("/notes", new { title = "same" }).StatusAsync(), Is.EqualTo(409), "still taken by the soft-deleted record");
        Assert.That(await app.AsAsync("root", HttpMethod.Post, $"/notes/{IdOf(a)}/_restore", admin: true).StatusAsync(), Is.EqualTo(200));
    }

    [Test]
    public async Task Purge_is_for_admins_and_removes_a_soft_deleted_record_for_good_releasing_its_unique_values()
    {
        await using var app = await StartAsync();
        var a = await app.CreateAsync("/notes", new { title = "gone" });
        var id = IdOf(a);
        Assert.That(await app.SendAsync(HttpMethod.Delete, $"/notes/{id}").StatusAsync(), Is.EqualTo(204));
        Assert.That(await app.AsAsync("bob", HttpMethod.Delete, $"/notes/{id}?purge=true").StatusAsync(), Is.EqualTo(403));
        Assert.That(await app.AsAsync("root", HttpMethod.Delete, $"/notes/{id}?purge=true", admin: true).StatusAsync(), Is.EqualTo(204));

        var stored = await app.ObjectStore.GetAsync(Notes.RecordKey(id));
        Assert.That(stored is not null && Tombstones.Is(stored.Content.Span), "purge is today's tombstone delete");
        Assert.That(await app.AsAsync("root", HttpMethod.Post, $"/notes/{id}/_restore", admin: true).StatusAsync(), Is.EqualTo(404));
        Assert.That(await TitlesAsync(await app.AsAsync("root", HttpMethod.Get, "/notes?deleted=true", admin: true)), Is.Empty);
        Assert.That(await app.PostAsync("/notes", new { title = "gone" }).StatusAsync(), Is.EqualTo(201), "the value is free again");
        Assert.That(await app.AsAsync("root", HttpMethod.Delete, $"/notes/{id}?purge=true", admin: true).StatusAsync(), Is.EqualTo(404));
    }

    [Test]
    public async Task An_admin_may_purge_a_live_record_directly()
    {
        await using var app = await StartAsync();
        var id = IdOf(await app.CreateAsync("/notes", new { title = "live" }));
        Assert.That(await app.AsAsync("root", HttpMethod.Delete, $"/notes/{id}?purge=true", admin: true).StatusAsync(), Is.EqualTo(204));
        Assert.That(await TitlesAsync(await app.AsAsync("root", HttpMethod.Get, "/notes?deleted=true", admin: true)), Is.Empty);
        Assert.That(await app.Client.GetAsync($"/notes/{id}").StatusAsync(), Is.EqualTo(404));
    }

    [Test]
    public async Task A_soft_deleted_record_past_its_retention_is_gone_at_once_and_purged_by_the_sweep()
    {
        await using var app = await StartAsync();
        var id = IdOf(await app.CreateAsync("/drafts", new { title = "old" }));
        Assert.That(await app.SendAsync(HttpMethod.Delete, $"/drafts/{id}").StatusAsync(), Is.EqualTo(204));
        Assert.That(await TitlesAsync(await app.AsAsync("root", HttpMethod.Get, "/drafts?deleted=true", admin: true)), Is.EqualTo(new[] { "old" }));
        await Task.Delay(1200);
        Assert.That(await TitlesAsync(await app.AsAsync("root", HttpMethod.Get, "/drafts?deleted=true", admin: true)), Is.Empty, "past its retention");
        Assert.That(await app.AsAsync("root", HttpMethod.Post, $"/drafts/{id}/_restore", admin: true).StatusAsync(), Is.EqualTo(404));

        var sweeper = app.App.Services.GetRequiredService<ExpirySweepService>();
        Assert.That(await sweeper.SweepOnceAsync(), Is.EqualTo(1));
        var stored = await app.ObjectStore.GetAsync(new CollectionLayout("drafts").RecordKey(id));
        Assert.That(stored is not null && Tombstones.Is(stored.Content.Span), "purged");
        Assert.That(await app.PostAsync("/drafts", new { title = "old" }).StatusAsync(), Is.EqualTo(201), "its unique value is released");
        Assert.That(await sweeper.SweepOnceAsync(), Is.Zero, "a second sweep finds nothing");
    }
}
