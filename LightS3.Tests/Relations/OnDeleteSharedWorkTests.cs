using LightS3.Endpoints;
using LightS3.Storage;
using LightS3.Tests.Support;

namespace LightS3.Tests.Relations;

/// <summary>
/// Two instances on one store share cascade work and never do any of it twice: deleting an author cascades to 300
/// books, and each book's delete to its review (a second level of jobs, one per book). Both instances poll for jobs;
/// every job is claimed by one of them with a conditional write, so every book and every review is deleted by exactly
/// one compare-and-swap, and every job is finished once, whichever instance claims it.
/// </summary>
[TestFixture(TestStore.Embedded)]
[TestFixture(TestStore.S3, Category = External.Category)]
[NonParallelizable]
public sealed class OnDeleteSharedWorkTests(TestStore store)
{
    private const int Books = 300;
    private TimeSpan _poll;

    [SetUp]
    public void QuickPolls()
    {
        _poll = OnDeleteJobs.PollInterval;
        OnDeleteJobs.PollInterval = TimeSpan.FromMilliseconds(200);
    }

    [TearDown]
    public void RestorePolls() => OnDeleteJobs.PollInterval = _poll;

    [Test]
    public async Task A_300_child_cascade_run_by_two_instances_deletes_each_child_exactly_once()
    {
        var location = TestStores.NewLocation(store);
        try
        {
            WatchedStore watchedA = null!, watchedB = null!;
            await using var a = await TestApp.StartAsync(store, app => Library.Register(app, Front.CSharp), location: location, wrapStore: s => watchedA = new WatchedStore(s));
            await using var b = await TestApp.StartAsync(store, app => Library.Register(app, Front.CSharp), location: location, wrapStore: s => watchedB = new WatchedStore(s));

            var author = (await a.CreateAsync("/authors", new { name = "Prolific" }))["id"]!.GetValue<string>();
            var books = await a.SeedAsync("/books", Enumerable.Range(0, Books).Select(i => (object)new { title = $"book {i}", author }), parallelism: 32);
            await a.SeedAsync("/reviews", books.Select(book => (object)new { text = "fine", book }), parallelism: 32);
            watchedA.Clear();
            watchedB.Clear();

            Assert.That(await a.Client.DeleteAsync($"/authors/{author}").StatusAsync(), Is.EqualTo(204));
            await ReferenceTests.Eventually(async () => await a.App.Query("/reviews").CountAsync() == 0, seconds: 180);
            await ReferenceTests.Eventually(async () => (await a.ObjectStore.ListAsync("books/jobs/on-delete/", null, 10)).Entries.Count == 0
                                                        && (await a.ObjectStore.ListAsync("authors/jobs/on-delete/", null, 10)).Entries.Count == 0, seconds: 60);

            IReadOnlyList<string> Both(StoreOperation operation, string prefix) =>
                [.. watchedA.Succeeded(operation, prefix), .. watchedB.Succeeded(operation, prefix)];
            var bookDeletes = Both(StoreOperation.Put, "books/records/");
            var reviewDeletes = Both(StoreOperation.Put, "reviews/records/");
            Assert.That(bookDeletes, Has.Count.EqualTo(Books).And.Unique, "each book tombstoned by one compare-and-swap, once");
            Assert.That(reviewDeletes, Has.Count.EqualTo(Books).And.Unique, "each review tombstoned by one compare-and-swap, once");

            var jobWrites = Both(StoreOperation.Put, "books/jobs/on-delete/").GroupBy(k => k).ToList();
            Assert.That(jobWrites, Has.Count.EqualTo(Books));
            Assert.That(jobWrites.Where(g => g.Count() != 2).Select(g => $"{g.Key}: {g.Count()} writes"), Is.Empty,
                "each book's job is written once and claimed once: a second instance's claim is refused by the conditional write");

            var finishedByA = watchedA.Succeeded(StoreOperation.Delete, "books/jobs/on-delete/");
            var finishedByB = watchedB.Succeeded(StoreOperation.Delete, "books/jobs/on-delete/");
            Assert.That(finishedByA.Concat(finishedByB).ToList(), Has.Count.EqualTo(Books).And.Unique, "each book's job finished once, by one instance");
            // How the jobs split between A and B is the scheduler's choice, not the code's (one instance may take all
            // 300 on a loaded machine): the code guarantees that B competed, i.e. its poller listed the jobs meanwhile.
            TestContext.Out.WriteLine($"A finished {finishedByA.Count} book jobs, B {finishedByB.Count}");
            Assert.That(watchedB.Count(StoreOperation.List, "books/jobs/on-delete/"), Is.Positive, "B's job poller ran during the cascade");
            Assert.That(await b.App.Query("/books").Where("author", author).CountAsync(), Is.Zero);
        }
        finally
        {
            if (TestStores.UsesDirectory(store)) TestStores.TryDelete(location);
        }
    }
}
