using System.Diagnostics;
using System.Text;
using LightS3.Storage;
using LightS3.Storage.Embedded;
using LightS3.Tests.Support;
using Microsoft.Data.Sqlite;

namespace LightS3.Tests.Storage;

/// <summary>The SQLite store's own guarantees beyond the shared conformance suite.</summary>
public sealed class EmbeddedStoreTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestStores.NewDirectory();

    [TearDown]
    public void TearDown() => TestStores.TryDelete(_dir);

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    [Test]
    public async Task Two_store_instances_on_one_directory_still_have_one_compare_and_swap_winner()
    {
        // separate instances share no memory and no writer: only SQLite's file locks serialise them, as between processes
        await using var a = new SqliteObjectStore(_dir, new RequestCounter());
        await using var b = new SqliteObjectStore(_dir, new RequestCounter());
        var etag = await a.PutAsync("k/x.json", Bytes("0"), WriteCondition.None);
        var wins = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            try
            {
                await (i % 2 == 0 ? a : b).PutAsync("k/x.json", Bytes($"writer {i}"), WriteCondition.IfMatch(etag));
                return 1;
            }
            catch (PreconditionFailedException)
            {
                return 0;
            }
        }));
        Assert.That(wins.Sum(), Is.EqualTo(1));
    }

    [Test]
    public async Task Racing_creates_from_two_store_instances_have_exactly_one_winner()
    {
        await using var a = new SqliteObjectStore(_dir, new RequestCounter());
        await using var b = new SqliteObjectStore(_dir, new RequestCounter());
        var wins = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            try
            {
                await (i % 2 == 0 ? a : b).PutAsync("k/new.json", Bytes($"writer {i}"), WriteCondition.IfNoneMatch);
                return 1;
            }
            catch (PreconditionFailedException)
            {
                return 0;
            }
        }));
        Assert.That(wins.Sum(), Is.EqualTo(1));
    }

    [Test]
    public async Task Data_and_etags_survive_reopening_the_directory()
    {
        string etag;
        await using (var first = new SqliteObjectStore(_dir, new RequestCounter()))
            etag = await first.PutAsync("k/y.json", Bytes("kept"), WriteCondition.None);
        await using var reopened = new SqliteObjectStore(_dir, new RequestCounter());
        var read = await reopened.GetAsync("k/y.json");
        Assert.That(Encoding.UTF8.GetString(read!.Content.Span), Is.EqualTo("kept"));
        Assert.That(read.ETag, Is.EqualTo(etag));
        Assert.That(File.Exists(Path.Combine(_dir, EmbeddedSchema.FileName)));
    }

    [Test]
    public async Task Etags_are_the_md5_of_the_bytes_whatever_the_time()
    {
        await using var store = new SqliteObjectStore(_dir, new RequestCounter());
        var etag = await store.PutAsync("k/a.json", Bytes("{\"a\":1}"), WriteCondition.None);
        Assert.That(etag, Is.EqualTo(ETags.Compute(Bytes("{\"a\":1}"))));
        var listed = await store.ListAsync("k/", null, 10);
        Assert.That(listed.Entries.Single().ETag, Is.EqualTo(etag));
        Assert.That(listed.Entries.Single().Size, Is.EqualTo(7));
    }

    [Test]
    public async Task A_prefix_listing_ends_exactly_at_the_prefix_whatever_characters_follow_it()
    {
        await using var store = new SqliteObjectStore(_dir, new RequestCounter());
        // keys just inside and just outside "a/": high code points inside, '0' (after '/') outside
        string[] inside = ["a/\u007f", "a/x", "a/\uffff", "a/\U0010FFFF", "a/\U0010FFFFz"];
        string[] outside = ["a", "a0", "a.json", "b/x", "a\uffff"];
        foreach (var key in inside.Concat(outside)) await store.PutAsync(key, Bytes(key), WriteCondition.None);

        var keys = new List<string>();
        await foreach (var entry in store.EnumerateAsync("a/")) keys.Add(entry.Key);
        Assert.That(keys, Is.EquivalentTo(inside));
        var paged = await store.ListAsync("a/", "a/\u007f", 2);
        Assert.That(paged.Entries.Select(e => e.Key), Is.EqualTo(new[] { "a/\uffff", "a/\U0010FFFF" }));
        Assert.That(paged.IsTruncated, Is.True);
    }

    [Test]
    public async Task A_listing_page_is_a_range_search_of_the_key_index_not_a_scan()
    {
        await using var store = new SqliteObjectStore(_dir, new RequestCounter());
        await store.PutAsync("c/a.json", Bytes("1"), WriteCondition.None);
        await using var connection = new SqliteConnection($"Data Source={store.DatabasePath}");
        connection.Open();
        foreach (var sql in new[] { SqliteReader.ListFromSql, SqliteReader.ListAfterSql })
        {
            using var command = connection.CreateCommand();
            command.CommandText = "EXPLAIN QUERY PLAN " + sql;
            command.Parameters.AddWithValue("$lower", "c/");
            command.Parameters.AddWithValue("$upper", new byte[] { (byte)'c', (byte)'/', 0xFF });
            command.Parameters.AddWithValue("$limit", 21);
            using var reader = command.ExecuteReader();
            var plan = new List<string>();
            while (reader.Read()) plan.Add(reader.GetString(3));
            Assert.That(plan, Has.Some.Matches<string>(p => p.Contains("SEARCH objects USING PRIMARY KEY (key>") && p.Contains("key<")), string.Join(" | ", plan));
            Assert.That(plan, Has.None.Contains("TEMP B-TREE"), "no sort: the index is already in key order");
        }
    }

    [Test]
    [NonParallelizable] // it measures the process-wide thread pool: tests running beside it would fill the queue it counts
    public async Task Writes_queued_behind_another_processs_write_lock_leave_reads_and_the_thread_pool_responsive()
    {
        await using var store = new SqliteObjectStore(_dir, new RequestCounter());
        await store.PutAsync("k/read.json", Bytes("r"), WriteCondition.None);
        // another "process" holds SQLite's write lock: every write of this store must wait for it
        await using var other = new SqliteConnection($"Data Source={store.DatabasePath}");
        other.Open();
        using (var begin = other.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            begin.ExecuteNonQuery();
        }
        // what other work of this test process (background services of other fixtures) keeps in the pool, measured first
        ThreadPool.GetMaxThreads(out var maxWorkers, out _);
        ThreadPool.GetAvailableThreads(out var availableBefore, out _);
        var busyBefore = maxWorkers - availableBefore;
        var pendingBefore = ThreadPool.PendingWorkItemCount;
        var writes = Enumerable.Range(0, 64).Select(i => store.PutAsync($"k/{i}.json", Bytes($"{i}"), WriteCondition.IfNoneMatch)).ToList();
        try
        {
            await Task.Delay(200);
            Assert.That(writes.Any(w => w.IsCompleted), Is.False, "the writes wait for the lock");

            // waiting writes hold no thread-pool thread and queue no work item (only the store's writer loop is inside SQLite).
            // Leftover work of other fixtures comes and goes in the same pool, while threads or items held by the blocked
            // writes would stay for as long as the lock is held: so the fewest seen over 10 samples is what is compared.
            long busy = long.MaxValue, pending = long.MaxValue;
            for (var sample = 0; sample < 10; sample++)
            {
                ThreadPool.GetAvailableThreads(out var availableWorkers, out _);
                busy = Math.Min(busy, maxWorkers - availableWorkers);
                pending = Math.Min(pending, ThreadPool.PendingWorkItemCount);
                await Task.Delay(20);
            }
            Assert.That(writes.Any(w => w.IsCompleted), Is.False, "the writes still wait for the lock");
            Assert.That(busy - busyBefore, Is.LessThan(8), "more thread-pool threads busy while 64 writes wait for the lock");
            Assert.That(pending - pendingBefore, Is.LessThan(8), "more work items queued behind writes waiting for the lock");

            // while 64 writes wait, work queued to the pool's global queue still runs promptly and reads are served (WAL)
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < 20; i++)
                await Task.Factory.StartNew(() => { }, CancellationToken.None, TaskCreationOptions.PreferFairness, TaskScheduler.Default).WaitAsync(TimeSpan.FromSeconds(10));
            for (var i = 0; i < 50; i++) Assert.That(await store.GetAsync("k/read.json").WaitAsync(TimeSpan.FromSeconds(10)), Is.Not.Null);
            // a hang guard: the busy-thread and queue counts above are the starvation check; 2 s here once failed CI on a
            // loaded machine, and starving behind 64 blocked writes lasts about a minute (the pool adds ~1 thread a second)
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)), "thread pool starved by writes waiting on SQLite");
        }
        finally
        {
            // released whatever the assertions found: a failed one must not leave 64 writes (and the store's dispose) waiting forever
            using var commit = other.CreateCommand();
            commit.CommandText = "COMMIT";
            commit.ExecuteNonQuery();
        }
        await Task.WhenAll(writes).WaitAsync(TimeSpan.FromSeconds(10));
        var listed = await store.ListAsync("k/", null, 1000);
        Assert.That(listed.Entries, Has.Count.EqualTo(65));
    }

    [Test]
    public async Task A_batch_with_a_refused_write_still_commits_the_others()
    {
        await using var store = new SqliteObjectStore(_dir, new RequestCounter());
        await store.PutAsync("k/taken.json", Bytes("0"), WriteCondition.None);
        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(async i =>
        {
            try
            {
                await store.PutAsync(i % 3 == 0 ? "k/taken.json" : $"k/{i}.json", Bytes($"{i}"), WriteCondition.IfNoneMatch);
                return true;
            }
            catch (PreconditionFailedException)
            {
                return false;
            }
        }));
        Assert.That(results.Count(r => !r), Is.EqualTo(10));
        Assert.That((await store.ListAsync("k/", null, 100)).Entries, Has.Count.EqualTo(21));
        Assert.That(Encoding.UTF8.GetString((await store.GetAsync("k/taken.json"))!.Content.Span), Is.EqualTo("0"));
    }

    [Test]
    public async Task Stopping_the_app_closes_the_database()
    {
        var app = await TestApp.StartAsync(TestStore.Embedded, a => a.Register<BookEndpoint>("/books"), location: _dir);
        var store = app.ObjectStore.Find<SqliteObjectStore>();
        Assert.That(store, Is.Not.Null);
        await app.CreateAsync("/books", new { title = "t", author = "a" });
        await app.DisposeAsync();
        Assert.ThrowsAsync<ObjectDisposedException>(() => store!.PutAsync("k/after.json", Bytes("x"), WriteCondition.None));
        Assert.ThrowsAsync<ObjectDisposedException>(() => store!.GetAsync("k/after.json"));
    }

    [Test]
    public async Task An_unwritable_data_directory_is_a_clear_storage_error()
    {
        var file = Path.Combine(_dir, "not-a-directory");
        await File.WriteAllTextAsync(file, "x");
        var error = Assert.Throws<StorageUnavailableException>(() => new SqliteObjectStore(Path.Combine(file, "data"), new RequestCounter()));
        Assert.That(error!.Message, Does.Contain("embedded store"));
    }
}
