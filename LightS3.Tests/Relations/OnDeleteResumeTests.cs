using LightS3.Endpoints;
using LightS3.Tests.Support;

namespace LightS3.Tests.Relations;

/// <summary>
/// A cascade survives its instance: the job object written before the delete outlives an app stopped mid-cascade, and a
/// new app on the same store takes the job over once the old lease lapses and finishes it.
/// </summary>
[TestFixture(TestStore.Embedded)]
[TestFixture(TestStore.S3, Category = External.Category)]
[NonParallelizable]
public sealed class OnDeleteResumeTests(TestStore store)
{
    private TimeSpan _lease, _poll;

    [SetUp]
    public void ShortLeases()
    {
        (_lease, _poll) = (OnDeleteJobs.LeaseDuration, OnDeleteJobs.PollInterval);
        OnDeleteJobs.LeaseDuration = TimeSpan.FromSeconds(2);
        OnDeleteJobs.PollInterval = TimeSpan.FromMilliseconds(300);
    }

    [TearDown]
    public void RestoreLeases() => (OnDeleteJobs.LeaseDuration, OnDeleteJobs.PollInterval) = (_lease, _poll);

    private static Task<long> RemainingAsync(TestApp app, string author) => app.App.Query("/books").Where("author", author).CountAsync();

    [Test]
    public async Task A_cascade_stopped_mid_run_is_finished_by_the_next_app_on_the_same_store()
    {
        var location = TestStores.NewLocation(store);
        try
        {
            WatchedStore watched = null!;
            string author;
            var first = await TestApp.StartAsync(store, a => Library.Register(a, Front.CSharp), location: location, wrapStore: s => watched = new WatchedStore(s));
            await using (first)
            {
                author = (await first.CreateAsync("/authors", new { name = "Prolific" }))["id"]!.GetValue<string>();
                await first.SeedAsync("/books", Enumerable.Range(0, 40).Select(i => (object)new { title = $"book {i}", author }));
                watched.SlowPrefix = "books/records/";
                watched.WriteDelay = TimeSpan.FromMilliseconds(200);

                Assert.That(await first.Client.DeleteAsync($"/authors/{author}").StatusAsync(), Is.EqualTo(204));
                await ReferenceTests.Eventually(async () => await RemainingAsync(first, author) <= 34);
            } // stopped mid-cascade

            await using var second = await TestApp.StartAsync(store, a => Library.Register(a, Front.CSharp), location: location);
            var left = await RemainingAsync(second, author);
            Assert.That(left, Is.GreaterThan(0).And.LessThan(40), "the first app deleted some books, not all");
            Assert.That((await second.ObjectStore.ListAsync("authors/jobs/on-delete/", null, 10)).Entries, Has.Count.EqualTo(1), "the job outlived its app");

            await ReferenceTests.Eventually(async () => await RemainingAsync(second, author) == 0);
            await ReferenceTests.Eventually(async () => (await second.ObjectStore.ListAsync("authors/jobs/on-delete/", null, 10)).Entries.Count == 0);
            Assert.That(await second.Client.GetAsync($"/authors/{author}").StatusAsync(), Is.EqualTo(404));
        }
        finally
        {
            if (TestStores.UsesDirectory(store)) TestStores.TryDelete(location);
        }
    }
}
