using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using LightS3.Changes;
using LightS3.Documents;
using LightS3.Tests.Changes;
using LightS3.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Tests.Concurrency;

/// <summary>
/// Racing DELETEs of one record have exactly one winner on every store that two instances can share: one 204, one 404,
/// one delete announced and one delete entry in the change feed — with or without the same <c>If-Match</c>.
/// </summary>
[TestFixture(TestStore.S3, Category = External.Category)]
[TestFixture(TestStore.Embedded)]
[TestFixture(TestStore.File)]
public sealed class RacingDeletesTests(TestStore store)
{
    private const int Trials = 100;

    /// <summary>Settle long enough that a loaded CI machine stores every entry within its budget.</summary>
    private static void Feed(LightS3Options o)
    {
        ChangeApps.Quick(o.Changes);
        o.Changes.Settle = TimeSpan.FromSeconds(5);
        o.Changes.PendingTimeout = TimeSpan.FromSeconds(10);
    }

    [Test]
    public async Task Two_instances_racing_deletes_of_one_record_have_one_winner_and_the_feed_one_delete()
    {
        var location = TestStores.NewLocation(store);
        try
        {
            await using var a = await ChangeApps.StartAsync(store, Feed, location);
            await using var b = await ChangeApps.StartAsync(store, Feed, location);
            var announced = new ConcurrentBag<string>();
            foreach (var app in new[] { a, b })
                app.Endpoint("/tasks").Repository.Committed += c => { if (c.Operation == RecordOperation.Delete) announced.Add(c.Id); };

            var ids = new List<string>();
            var wrong = new List<string>();
            for (var trial = 0; trial < Trials; trial++)
            {
                var id = (await a.CreateAsync("/tasks", new { title = $"t{trial}" }))["id"]!.GetValue<string>();
                ids.Add(id);
                var read = await b.Client.GetAsync($"/tasks/{id}");
                Assert.That((int)read.StatusCode, Is.EqualTo(200), "b sees a's record");
                var etag = read.Headers.ETag!.ToString();
                var withIfMatch = trial % 2 == 1;
                Action<HttpRequestMessage>? adjust = withIfMatch ? r => r.Headers.TryAddWithoutValidation("If-Match", etag) : null;
                var statuses = await Task.WhenAll(
                    a.SendAsync(HttpMethod.Delete, $"/tasks/{id}", adjust: adjust).StatusAsync(),
                    b.SendAsync(HttpMethod.Delete, $"/tasks/{id}", adjust: adjust).StatusAsync());
                if (!statuses.Order().SequenceEqual([204, 404]))
                    wrong.Add($"trial {trial} ({(withIfMatch ? "with" : "without")} If-Match): {string.Join(",", statuses)}");
            }
            Assert.That(wrong, Is.Empty, $"{wrong.Count}/{Trials} trials without exactly one winner");
            Assert.That(ids.Where(id => announced.Count(x => x == id) != 1), Is.Empty, "each delete announced once, across both instances");

            await ChangeApps.SettleAsync(a.App.Services.GetRequiredService<ChangeFeed>().Options); // readers do not see younger entries
            var (changes, _) = await ChangeApps.ReadAllAsync(a.Client, "/tasks");
            var deletes = changes.Where(c => c["op"]!.GetValue<string>() == "delete").Select(c => c["id"]!.GetValue<string>()).ToList();
            Assert.That(changes.Count(c => c["op"]!.GetValue<string>() == "create"), Is.EqualTo(Trials), "the feed was read (every create is there)");
            Assert.That(ids.Where(id => deletes.Count(x => x == id) != 1).Select(id => $"{id}: {deletes.Count(x => x == id)}"), Is.Empty,
                "one delete entry per record");
        }
        finally
        {
            if (TestStores.UsesDirectory(store)) TestStores.TryDelete(location);
        }
    }
}

/// <summary>
/// The same race staged deterministically on RGW: instance A's tombstone PUT is held until instance B's whole DELETE has
/// committed, and then A's PUT gets RGW's answer to a losing racer (a 500) or is sent and refused (the SDK retry case).
/// A must see that the tombstone there is B's, not its own, though the bytes are the same.
/// </summary>
[Category(External.Category)]
public sealed class StagedRacingDeletesTests
{
    [TestCase(true, TestName = "A_delete_answered_500_after_another_instances_delete_landed_is_a_404_and_one_feed_entry")]
    [TestCase(false, TestName = "A_delete_refused_after_another_instances_delete_landed_is_a_404_and_one_feed_entry")]
    [TestCase(null, TestName = "A_delete_whose_response_was_lost_after_it_landed_is_still_its_204")]
    public async Task A_delete_whose_outcome_is_ambiguous_is_settled_by_its_own_write(bool? serverError)
    {
        var location = TestStores.NewLocation(TestStore.S3);
        var client = new InterceptingS3Client(S3TestServer.Options(location));
        await using var a = await ChangeApps.StartAsync(TestStore.S3, o => ChangeApps.Quick(o.Changes), location,
            configureServices: s => s.AddSingleton<Amazon.S3.IAmazonS3>(client));
        await using var b = await ChangeApps.StartAsync(TestStore.S3, o => ChangeApps.Quick(o.Changes), location);
        var id = (await a.CreateAsync("/tasks", new { title = "contested" }))["id"]!.GetValue<string>();

        var staged = 0;
        client.OnPut = async (request, send) =>
        {
            if (!request.Key.EndsWith($"tasks/records/{id}.json", StringComparison.Ordinal) || request.IfMatch is null || Interlocked.Increment(ref staged) > 1)
                return await send();
            if (serverError is null)
            {
                await send(); // landed; its response is lost
                throw InterceptingS3Client.ServerError();
            }
            Assert.That(await b.SendAsync(HttpMethod.Delete, $"/tasks/{id}").StatusAsync(), Is.EqualTo(204), "the other instance deletes first");
            if (serverError == true) throw InterceptingS3Client.ServerError();
            return await send(); // 412: the precondition no longer holds
        };
        var status = await a.SendAsync(HttpMethod.Delete, $"/tasks/{id}").StatusAsync();
        Assert.That(staged, Is.EqualTo(1), "the race was staged");
        Assert.That(status, Is.EqualTo(serverError is null ? 204 : 404));

        await ChangeApps.SettleAsync(a.App.Services.GetRequiredService<ChangeFeed>().Options);
        var (changes, _) = await ChangeApps.ReadAllAsync(a.Client, "/tasks");
        Assert.That(changes.Select(c => c["op"]!.GetValue<string>()), Is.EqualTo(new[] { "create", "delete" }), "one delete in the feed");
        client.Dispose();
    }
}

/// <summary>
/// Many DELETEs of one record racing on one instance: one 204, the rest 404, one delete announced and one feed entry. The
/// racers' feed entries are each settled by their own write, so a loser can neither announce nor remove the winner's.
/// </summary>
[TestFixture(TestStore.Memory)]
[TestFixture(TestStore.Embedded)]
public sealed class OneInstanceRacingDeletesTests(TestStore store)
{
    private const int Trials = 30, Racers = 6;

    [Test]
    public async Task Racing_deletes_on_one_instance_have_one_winner_and_the_feed_one_delete()
    {
        await using var app = await ChangeApps.StartAsync(store, o => ChangeApps.Quick(o.Changes));
        var announced = new ConcurrentBag<string>();
        app.Endpoint("/tasks").Repository.Committed += c => { if (c.Operation == RecordOperation.Delete) announced.Add(c.Id); };

        var ids = new List<string>();
        var wrong = new List<string>();
        for (var trial = 0; trial < Trials; trial++)
        {
            var id = (await app.CreateAsync("/tasks", new { title = $"t{trial}" }))["id"]!.GetValue<string>();
            ids.Add(id);
            var statuses = await Task.WhenAll(Enumerable.Range(0, Racers).Select(_ => app.SendAsync(HttpMethod.Delete, $"/tasks/{id}").StatusAsync()));
            if (statuses.Count(s => s == 204) != 1 || statuses.Count(s => s == 404) != Racers - 1) wrong.Add($"trial {trial}: {string.Join(",", statuses)}");
        }
        Assert.That(wrong, Is.Empty, $"{wrong.Count}/{Trials} trials without exactly one winner");
        Assert.That(ids.Where(id => announced.Count(x => x == id) != 1), Is.Empty, "each delete announced once");

        await ChangeApps.SettleAsync(app.App.Services.GetRequiredService<ChangeFeed>().Options);
        var (changes, _) = await ChangeApps.ReadAllAsync(app.Client, "/tasks");
        var deletes = changes.Where(c => c["op"]!.GetValue<string>() == "delete").Select(c => c["id"]!.GetValue<string>()).ToList();
        Assert.That(changes.Count(c => c["op"]!.GetValue<string>() == "create"), Is.EqualTo(Trials), "the feed was read (every create is there)");
        Assert.That(ids.Where(id => deletes.Count(x => x == id) != 1).Select(id => $"{id}: {deletes.Count(x => x == id)}"), Is.Empty,
            "one delete entry per record");
    }
}
