using System.Text.Json.Nodes;
using LightS3.Changes;
using LightS3.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Tests.Changes;

/// <summary>GET {route}/_changes on one instance: shape, order, cursors, permissions, bad input.</summary>
[TestFixture(TestStore.S3, Category = External.Category)]
[TestFixture(TestStore.Memory)]
public sealed class ChangeFeedTests(TestStore store)
{
    private Task<TestApp> StartAsync() => ChangeApps.StartAsync(store, o => ChangeApps.Quick(o.Changes));

    private static string IdOf(JsonObject o) => o["id"]!.GetValue<string>();

    [Test]
    public async Task Every_acknowledged_write_is_in_the_feed_in_commit_order_with_op_version_actor_and_record()
    {
        await using var app = await StartAsync();
        var task = await app.CreateAsync("/tasks", new { title = "a" });
        var id = IdOf(task);
        var patched = await app.SendAsync(HttpMethod.Patch, $"/tasks/{id}", new { title = "b", version = 1 }).JsonAsync();
        Assert.That(await app.SendAsync(HttpMethod.Delete, $"/tasks/{id}").StatusAsync(), Is.EqualTo(204));
        var other = await app.CreateAsync("/tasks", new { title = "c" });
        await ChangeApps.SettleAsync(app.App.Services.GetRequiredService<ChangeFeed>().Options);

        var (changes, next) = await ChangeApps.ReadAllAsync(app.Client, "/tasks");
        Assert.That(changes.Select(c => (c["op"]!.GetValue<string>(), IdOf(c), c["version"]!.GetValue<long>())), Is.EqualTo(new[]
        {
            ("create", id, 1L), ("update", id, 2L), ("delete", id, 2L), ("create", IdOf(other), 1L),
        }));
        Assert.That(changes[1]["record"]!["title"]!.GetValue<string>(), Is.EqualTo("b"), "the record as that version wrote it");
        Assert.That(changes[1]["at"]!.GetValue<string>(), Is.EqualTo(patched["updated_at"]!.GetValue<string>()), "an entry's time is its version's updated_at");
        Assert.That(changes[2].ContainsKey("record"), Is.False, "a delete carries no record");
        Assert.That(changes.All(c => c.ContainsKey("actor")), "every entry names its actor (null when anonymous)");
        Assert.That(next, Is.Not.Null);

        var (after, _) = await ChangeApps.ReadAllAsync(app.Client, "/tasks", next);
        Assert.That(after, Is.Empty, "reading on from next repeats nothing");
        var third = await app.CreateAsync("/tasks", new { title = "d" });
        await ChangeApps.SettleAsync(app.App.Services.GetRequiredService<ChangeFeed>().Options);
        (after, _) = await ChangeApps.ReadAllAsync(app.Client, "/tasks", next);
        Assert.That(after.Select(IdOf), Is.EqualTo(new[] { IdOf(third) }), "and misses nothing written later");
    }

    [Test]
    public async Task Soft_delete_restores_and_purge_are_changes_with_their_own_ops()
    {
        await using var app = await StartAsync();
        var admin = Tokens.Create("root", admin: true);
        void AsAdmin(HttpRequestMessage r) => r.Headers.Authorization = new("Bearer", admin);
        var id = IdOf(await app.CreateAsync("/bins", new { title = "a" }));
        Assert.That(await app.SendAsync(HttpMethod.Delete, $"/bins/{id}").StatusAsync(), Is.EqualTo(204));
        Assert.That(await app.SendAsync(HttpMethod.Post, $"/bins/{id}/_restore", null, AsAdmin).StatusAsync(), Is.EqualTo(200));
        Assert.That(await app.SendAsync(HttpMethod.Post, $"/bins/{id}/_restore?version=1", null, AsAdmin).StatusAsync(), Is.EqualTo(200));
        Assert.That(await app.SendAsync(HttpMethod.Delete, $"/bins/{id}?purge=true", null, AsAdmin).StatusAsync(), Is.EqualTo(204));
        await ChangeApps.SettleAsync(app.App.Services.GetRequiredService<ChangeFeed>().Options);

        var (changes, _) = await ChangeApps.ReadAllAsync(app.Client, "/bins");
        Assert.That(changes.Select(c => (c["op"]!.GetValue<string>(), c["version"]!.GetValue<long>(), c.ContainsKey("record"))), Is.EqualTo(new[]
        {
            ("create", 1L, true), ("delete", 2L, false), ("restore", 3L, true), ("restore", 4L, true), ("purge", 4L, false),
        }));
        Assert.That(changes[3]["actor"]!.GetValue<string>(), Is.EqualTo("root"));
    }

    [Test]
    public async Task An_entry_is_not_listed_before_the_settle_delay_has_passed()
    {
        await using var app = await ChangeApps.StartAsync(store, o => o.Changes.Settle = TimeSpan.FromSeconds(2));
        await app.CreateAsync("/tasks", new { title = "a" });
        var (changes, _) = await ChangeApps.ReadAllAsync(app.Client, "/tasks");
        Assert.That(changes, Is.Empty, "younger than the settle delay");
        await Task.Delay(TimeSpan.FromSeconds(2.3));
        (changes, _) = await ChangeApps.ReadAllAsync(app.Client, "/tasks");
        Assert.That(changes, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Entries_are_listed_only_for_callers_who_may_read_their_record()
    {
        await using var app = await StartAsync();
        var alice = Tokens.Create("alice");
        var bob = Tokens.Create("bob");
        Assert.That(await app.SendAsync(HttpMethod.Post, "/letters", new { text = "dear" }, r => r.Headers.Authorization = new("Bearer", alice)).StatusAsync(), Is.EqualTo(201));
        await ChangeApps.SettleAsync(app.App.Services.GetRequiredService<ChangeFeed>().Options);

        var (forAlice, _) = await ChangeApps.ReadAllAsync(app.Client, "/letters", token: alice);
        var (forBob, _) = await ChangeApps.ReadAllAsync(app.Client, "/letters", token: bob);
        Assert.That(forAlice.Single()["record"]!["text"]!.GetValue<string>(), Is.EqualTo("dear"));
        Assert.That(forAlice.Single()["actor"]!.GetValue<string>(), Is.EqualTo("alice"));
        Assert.That(forBob, Is.Empty, "bob may not GET alice's letter: not even its id, actor and time are listed");
        Assert.That(await app.Client.GetAsync("/letters/_changes").StatusAsync(), Is.EqualTo(401), "the read permission guards the feed");
    }

    [TestCase("since=nonsense")]
    [TestCase("limit=0")]
    [TestCase("limit=1001")]
    [TestCase("limit=x")]
    public async Task A_bad_cursor_or_limit_is_a_400_problem(string query)
    {
        await using var app = await StartAsync();
        var response = await app.Client.GetAsync($"/tasks/_changes?{query}");
        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((await response.JsonAsync())["detail"]?.GetValue<string>(), Is.Not.Empty);
    }

    [Test]
    public async Task An_endpoint_without_a_feed_has_no_changes_route()
    {
        await using var app = await StartAsync();
        Assert.That(await app.Client.GetAsync("/chores/_changes").StatusAsync(), Is.EqualTo(404));
        Assert.That(await app.Client.GetAsync("/chores/_events").StatusAsync(), Is.EqualTo(404));
    }

    [Test]
    public async Task Each_write_costs_exactly_one_extra_store_request_a_PUT_for_its_entry()
    {
        await using var app = await ChangeApps.StartAsync(store, o =>
        {
            ChangeApps.Quick(o.Changes);
            o.StoreRequestHeader = true;
        });
        var counts = new Dictionary<string, (int Plain, int Feed)>();
        foreach (var (name, route) in new[] { ("plain", "/chores"), ("feed", "/tasks") })
        {
            var post = await app.PostAsync(route, new { title = "a" });
            var id = IdOf(await post.JsonAsync());
            var patch = await app.SendAsync(HttpMethod.Patch, $"{route}/{id}", new { title = "b", version = 1 });
            var delete = await app.SendAsync(HttpMethod.Delete, $"{route}/{id}");
            int N(HttpResponseMessage r) => int.Parse(r.Headers.GetValues("X-LightS3-Store-Requests").Single());
            foreach (var (op, r) in new[] { ("POST", post), ("PATCH", patch), ("DELETE", delete) })
                counts[op] = name == "plain" ? (N(r), 0) : (counts[op].Plain, N(r));
        }
        foreach (var (op, (plain, feed)) in counts) TestContext.Out.WriteLine($"{store} {op}: {plain} store requests without the feed, {feed} with it");
        Assert.That(counts.Values.Select(c => c.Feed - c.Plain), Is.All.EqualTo(1));
    }

    [Test]
    public async Task Entries_past_retention_are_removed_by_the_cleanup()
    {
        await using var app = await ChangeApps.StartAsync(store, o =>
        {
            ChangeApps.Quick(o.Changes);
            o.Changes.Retention = TimeSpan.FromSeconds(1);
        });
        await app.CreateAsync("/tasks", new { title = "old" });
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var young = await app.CreateAsync("/tasks", new { title = "young" });
        var removed = await app.App.Services.GetRequiredService<ChangeFeedCleanup>().CleanOnceAsync();
        Assert.That(removed, Is.EqualTo(1));
        await ChangeApps.SettleAsync(app.App.Services.GetRequiredService<ChangeFeed>().Options);
        var (changes, _) = await ChangeApps.ReadAllAsync(app.Client, "/tasks");
        Assert.That(changes.Select(IdOf), Is.EqualTo(new[] { IdOf(young) }));
    }
}
