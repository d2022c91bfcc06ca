using LightS3.Caching;
using LightS3.Tests.Support;
using Microsoft.Extensions.Logging;

namespace LightS3.Tests.Caching;

/// <summary>The durable journal of pending cache invalidations, and the bookkeeping that delivers from it.</summary>
public sealed class InvalidationJournalTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = TestStores.NewDirectory();

    [TearDown]
    public void TearDown() => TestStores.TryDelete(_dir);

    private string JournalPath => Path.Combine(_dir, "pending.journal");

    [Test]
    public async Task Instances_sharing_a_journal_lose_none_of_each_others_concurrent_entries()
    {
        // two journal objects on one file hold separate OS file handles, as two processes would
        var a = new InvalidationJournal(JournalPath);
        var b = new InvalidationJournal(JournalPath);
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).AppendAsync($"/scope{i}"))));
        var entries = await new InvalidationJournal(JournalPath).ReadAsync();
        Assert.That(entries.Select(e => e.Scope), Is.EquivalentTo(Enumerable.Range(0, 40).Select(i => $"/scope{i}")));
    }

    [Test]
    public async Task Entries_survive_a_new_journal_object_and_removing_the_last_deletes_the_file()
    {
        var first = await new InvalidationJournal(JournalPath).AppendAsync("/books with space");
        var reopened = new InvalidationJournal(JournalPath);
        Assert.That((await reopened.ReadAsync()).Single(), Is.EqualTo(new JournalEntry(first, "/books with space")));
        await reopened.RemoveAsync(new HashSet<Guid> { first });
        Assert.That(File.Exists(JournalPath), Is.False);
    }

    [Test]
    public async Task A_delivery_removes_only_what_it_took_and_a_write_after_the_take_stays_pending()
    {
        var pending = new PendingInvalidations(new InvalidationJournal(JournalPath), new CapturingLoggerProvider().CreateLogger("test"));
        await pending.AddAsync("/books");
        await pending.AddAsync("/books"); // rides on the first entry: not yet taken
        var batch = await pending.TakeAsync();
        Assert.That(batch.Scopes, Is.EqualTo(new[] { "/books" }));
        await pending.AddAsync("/books"); // a write after the take: the taken INCR may have been sent before it
        await pending.ConfirmAsync(batch);
        Assert.That(pending.Any, Is.True, "the later write is still pending");
        var next = await pending.TakeAsync();
        Assert.That(next.Entries, Has.Count.EqualTo(1));
        await pending.ConfirmAsync(next);
        Assert.That((pending.Any, File.Exists(JournalPath)), Is.EqualTo((false, false)));
    }

    [Test]
    public async Task Entries_left_by_a_previous_process_are_pending_at_start()
    {
        await new InvalidationJournal(JournalPath).AppendAsync("/books");
        var restarted = new PendingInvalidations(new InvalidationJournal(JournalPath), new CapturingLoggerProvider().CreateLogger("test"));
        Assert.That(restarted.Any, Is.True, "nothing may be read from the cache before the replay");
        var batch = await restarted.TakeAsync();
        Assert.That(batch.Scopes, Is.EqualTo(new[] { "/books" }));
        await restarted.ConfirmAsync(batch);
        Assert.That(restarted.Any, Is.False);
    }

    [Test]
    public async Task An_unwritable_journal_keeps_the_invalidation_in_memory_and_warns_once()
    {
        var notADirectory = Path.Combine(_dir, "file");
        await File.WriteAllTextAsync(notADirectory, "");
        var logs = new CapturingLoggerProvider();
        var pending = new PendingInvalidations(new InvalidationJournal(Path.Combine(notADirectory, "pending.journal")), logs.CreateLogger("test"));
        await pending.AddAsync("/books");
        await pending.AddAsync("/authors");
        Assert.That(pending.Any, Is.True);
        Assert.That(logs.Entries.Count(e => e.Level == LogLevel.Warning), Is.EqualTo(1));
        var batch = await pending.TakeAsync();
        Assert.That(batch.Scopes, Is.EquivalentTo(new[] { "/books", "/authors" }));
        await pending.ConfirmAsync(batch);
        Assert.That(pending.Any, Is.False);
    }
}
