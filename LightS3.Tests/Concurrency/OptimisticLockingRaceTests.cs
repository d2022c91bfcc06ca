using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LightS3.Tests.Support;

namespace LightS3.Tests.Concurrency;

/// <summary>Optimistic locking is a real compare-and-swap: racers with one version have exactly one winner.</summary>
[TestFixture(TestStore.S3, Category = External.Category)]
[TestFixture(TestStore.File)]
[TestFixture(TestStore.Embedded)]
[TestFixture(TestStore.Memory)]
public sealed class OptimisticLockingRaceTests(TestStore store)
{
    [Test]
    public async Task Twenty_concurrent_patches_with_one_version_have_one_winner_and_no_lost_update()
    {
        await using var app = await TestApp.StartAsync(store, a => a.Register<BookEndpoint>("/books"));
        var id = (await app.CreateAsync("/books", new { title = "race", author = "a" }))["id"]!.GetValue<string>();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            app.SendAsync(HttpMethod.Patch, $"/books/{id}", new { title = $"writer {i}", version = 1 }).StatusAsync()));

        Assert.That(statuses.Count(s => s == 200), Is.EqualTo(1), string.Join(",", statuses));
        Assert.That(statuses.Count(s => s == 409), Is.EqualTo(19), string.Join(",", statuses));
        var final = await (await app.Client.GetAsync($"/books/{id}")).JsonAsync();
        Assert.That(final["version"]!.GetValue<long>(), Is.EqualTo(2));
        Assert.That(final["title"]!.GetValue<string>(), Does.StartWith("writer "));
    }

    [Test]
    public async Task Concurrent_read_modify_write_clients_that_retry_on_409_lose_no_increment()
    {
        await using var app = await TestApp.StartAsync(store, a => a.Register<BookEndpoint>("/books"));
        var id = (await app.CreateAsync("/books", new { title = "counter", author = "a", pages = 1 }))["id"]!.GetValue<string>();
        const int clients = 8, incrementsEach = 3;

        async Task Increment()
        {
            for (var attempt = 0; attempt < 200; attempt++)
            {
                var current = await (await app.Client.GetAsync($"/books/{id}")).JsonAsync();
                var response = await app.SendAsync(HttpMethod.Patch, $"/books/{id}",
                    new { pages = current["pages"]!.GetValue<int>() + 1, version = current["version"]!.GetValue<long>() });
                if (response.StatusCode == HttpStatusCode.OK) return;
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            }
            Assert.Fail("gave up after 200 conflicts");
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            for (var i = 0; i < incrementsEach; i++) await Increment();
        }));
        var final = await (await app.Client.GetAsync($"/books/{id}")).JsonAsync();
        Assert.That(final["pages"]!.GetValue<int>(), Is.EqualTo(1 + clients * incrementsEach));
        Assert.That(final["version"]!.GetValue<long>(), Is.EqualTo(1 + clients * incrementsEach));
    }

    [Test]
    public async Task Twenty_concurrent_creates_with_one_unique_value_have_one_winner()
    {
        await using var app = await TestApp.StartAsync(store, a => a.Register<BookEndpoint>("/books"));
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            app.PostAsync("/books", new { title = $"t{i}", author = "a", isbn = "9781111111111" })));
        var statuses = responses.Select(r => (int)r.StatusCode).ToList();
        Assert.That(statuses.Count(s => s == 201), Is.EqualTo(1), string.Join(",", statuses));
        Assert.That(statuses.Count(s => s == 409), Is.EqualTo(19));
        foreach (var r in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
            Assert.That((await r.JsonAsync())["detail"]!.GetValue<string>(), Does.Contain("isbn"));
        var list = await (await app.Client.GetAsync("/books")).JsonAsync();
        Assert.That(list["results"]!.AsArray().Count(b => b!["isbn"]?.GetValue<string>() == "9781111111111"), Is.EqualTo(1));
    }

    [Test]
    public async Task An_orphaned_unique_marker_blocks_only_until_the_grace_period_ends()
    {
        // Simulates a crash between claiming the marker and writing the record: the marker names a record that never came.
        await using var app = await TestApp.StartAsync(store, a => a.Register<BookEndpoint>("/books"), o => o.UniqueClaimGrace = TimeSpan.FromSeconds(1));
        var layout = new LightS3.Documents.CollectionLayout("books");
        var orphan = new JsonObject { ["id"] = LightS3.Documents.RecordIds.New(), ["field"] = "isbn", ["claimed_at"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() };
        await app.ObjectStore.PutAsync(layout.UniqueKey("isbn", "9782222222222"), LightS3.Documents.RecordCodec.Encode(orphan), LightS3.Storage.WriteCondition.IfNoneMatch);

        Assert.That(await app.PostAsync("/books", new { title = "t", author = "a", isbn = "9782222222222" }).StatusAsync(), Is.EqualTo(409), "fresh marker is honoured");
        await Task.Delay(1200);
        Assert.That(await app.PostAsync("/books", new { title = "t", author = "a", isbn = "9782222222222" }).StatusAsync(), Is.EqualTo(201), "old orphan is taken over");
        Assert.That(await app.PostAsync("/books", new { title = "t", author = "a", isbn = "9782222222222" }).StatusAsync(), Is.EqualTo(409), "and now held by the real record");
    }
}

/// <summary>Two app instances over one store (memory cannot be shared, so only the stores that can be).</summary>
[TestFixture(TestStore.S3, Category = External.Category)]
[TestFixture(TestStore.File)]
[TestFixture(TestStore.Embedded)]
public sealed class SharedStoreLockingRaceTests(TestStore store)
{
    [Test]
    public async Task Two_app_instances_sharing_one_store_still_have_one_winner()
    {
        var location = TestStores.NewLocation(store);
        var kind = store;
        try
        {
            await using var a = await TestApp.StartAsync(kind, x => x.Register<BookEndpoint>("/books"), location: location);
            await using var b = await TestApp.StartAsync(kind, x => x.Register<BookEndpoint>("/books"), location: location);
            var id = (await a.CreateAsync("/books", new { title = "shared", author = "a" }))["id"]!.GetValue<string>();
            Assert.That(await b.Client.GetAsync($"/books/{id}").StatusAsync(), Is.EqualTo(200), "b sees a's record");

            var statuses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
                (i % 2 == 0 ? a : b).SendAsync(HttpMethod.Patch, $"/books/{id}", new { title = $"w{i}", version = 1 }).StatusAsync()));
            Assert.That(statuses.Count(s => s == 200), Is.EqualTo(1), string.Join(",", statuses));
            Assert.That(statuses.Count(s => s == 409), Is.EqualTo(19));
        }
        finally
        {
            if (TestStores.UsesDirectory(kind)) TestStores.TryDelete(location);
        }
    }
}
