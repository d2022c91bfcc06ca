using System.Text;
using LightS3.Storage;
using LightS3.Storage.Embedded;
using LightS3.Tests.Support;

namespace LightS3.Tests.Storage;

/// <summary>
/// The SQLite store's maintained prefix counters: created by a count that finds more keys than the threshold, kept
/// exact by triggers in every write's transaction — also for writes through another store instance (as from another
/// process) and across a reopen.
/// </summary>
public sealed class EmbeddedStoreCounterTests
{
    private static readonly byte[] Marker = Encoding.UTF8.GetBytes("{\"_tombstone\":true}");
    private static readonly string MarkerETag = ETags.Compute(Marker);
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestStores.NewDirectory();

    [TearDown]
    public void TearDown() => TestStores.TryDelete(_dir);

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    private static async Task<long> ExactCountAsync(SqliteObjectStore store, string prefix, string? exceptETag)
    {
        long n = 0;
        await foreach (var e in store.EnumerateAsync(prefix))
            if (e.ETag != exceptETag) n++;
        return n;
    }

    private static async Task<long> CountersAsync(string dir)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={EmbeddedSchema.DatabasePath(dir)}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM counters";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Test]
    public async Task A_large_prefix_gets_a_counter_that_stays_exact_through_writes_from_two_instances_and_a_reopen()
    {
        await using (var a = new SqliteObjectStore(_dir, new RequestCounter(), countedPrefixThreshold: 50))
        await using (var b = new SqliteObjectStore(_dir, new RequestCounter(), countedPrefixThreshold: 50))
        {
            await Task.WhenAll(Enumerable.Range(0, 80).Select(i => a.PutAsync($"c/records/{i:D3}.json", Bytes($"r{i}"), WriteCondition.IfNoneMatch)));
            await a.PutAsync("c/index/x/1", Bytes("not a record"), WriteCondition.None);
            Assert.That(await a.CountAsync("c/records/", null, null, MarkerETag), Is.EqualTo(80));
            Assert.That(await CountersAsync(_dir), Is.EqualTo(1), "80 keys > 50: the prefix is now counted");
            Assert.That(await a.CountAsync("c/index/", null, null, null), Is.EqualTo(1));
            Assert.That(await CountersAsync(_dir), Is.EqualTo(1), "a small prefix gets no counter");

            // creates, CAS updates, replacements by the marker (tombstones) and back, deletes, through both instances
            var writes = Enumerable.Range(0, 120).Select(async i =>
            {
                var store = i % 2 == 0 ? a : b;
                var key = $"c/records/{i % 100:D3}.json";
                switch (i % 5)
                {
                    case 0: await store.PutAsync(key, Marker, WriteCondition.None); break;
                    case 1: await store.DeleteAsync(key); break;
                    case 2: await store.PutAsync($"c/records/new-{i}.json", Bytes($"n{i}"), WriteCondition.None); break;
                    case 3: await store.PutAsync(key, Bytes($"u{i}"), WriteCondition.None); break;
                    default:
                        try { await store.PutAsync(key, Bytes($"c{i}"), WriteCondition.IfNoneMatch); }
                        catch (PreconditionFailedException) { }
                        break;
                }
            });
            await Task.WhenAll(writes);
            var exact = await ExactCountAsync(a, "c/records/", MarkerETag);
            Assert.That(await b.CountAsync("c/records/", null, null, MarkerETag), Is.EqualTo(exact));
            Assert.That(await a.CountAsync("c/records/", null, null, MarkerETag), Is.EqualTo(exact));
        }
        await using var reopened = new SqliteObjectStore(_dir, new RequestCounter(), countedPrefixThreshold: 50);
        await reopened.PutAsync("c/records/after-reopen.json", Bytes("x"), WriteCondition.None);
        Assert.That(await reopened.CountAsync("c/records/", null, null, MarkerETag), Is.EqualTo(await ExactCountAsync(reopened, "c/records/", MarkerETag)));
        Assert.That(await CountersAsync(_dir), Is.EqualTo(1));
    }

    [Test]
    public async Task A_frequent_index_value_gets_its_own_counter_and_writes_elsewhere_leave_it_exact()
    {
        await using var store = new SqliteObjectStore(_dir, new RequestCounter(), countedPrefixThreshold: 20);
        for (var i = 0; i < 30; i++) await store.PutAsync($"c/index/team/t-042/{i:D3}/1", Bytes("{}"), WriteCondition.None);
        for (var i = 0; i < 5; i++) await store.PutAsync($"c/index/team/t-043/{i:D3}/1", Bytes("{}"), WriteCondition.None);
        Assert.That(await store.CountAsync("c/index/team/t-042/", null, null, null), Is.EqualTo(30));
        Assert.That(await CountersAsync(_dir), Is.EqualTo(1), "30 entries > 20: the value prefix is counted");
        Assert.That(await store.CountAsync("c/index/team/t-04", null, null, null), Is.EqualTo(35));
        Assert.That(await CountersAsync(_dir), Is.EqualTo(1), "a prefix not ending with '/' is never counted (the triggers' range relies on it)");

        // writes to its neighbours (sorting before, after and inside the triggers' key range) and to it
        await store.PutAsync("c/index/team/t-041/000/1", Bytes("{}"), WriteCondition.None);
        await store.PutAsync("c/index/team/t-0420/000/1", Bytes("{}"), WriteCondition.None);
        await store.PutAsync("c/records/x.json", Bytes("{}"), WriteCondition.None);
        await store.PutAsync("d/index/team/t-042/000/1", Bytes("{}"), WriteCondition.None);
        await store.PutAsync("c/index/team/t-042/100/1", Bytes("{}"), WriteCondition.None);
        await store.DeleteAsync("c/index/team/t-042/000/1");
        await store.DeleteAsync("c/index/team/t-042/001/1");
        await store.PutAsync("c/index/team/t-042/002/1", Bytes("{\"changed\":1}"), WriteCondition.None);
        Assert.That(await store.CountAsync("c/index/team/t-042/", null, null, null), Is.EqualTo(29));
        Assert.That(await ExactCountAsync(store, "c/index/team/t-042/", null), Is.EqualTo(29));
    }

    [Test]
    public async Task Opening_a_database_with_the_first_version_of_the_triggers_replaces_them_so_nothing_counts_twice()
    {
        await using (var first = new SqliteObjectStore(_dir, new RequestCounter(), countedPrefixThreshold: 5))
            for (var i = 0; i < 10; i++) await first.PutAsync($"c/records/{i:D3}.json", Bytes($"r{i}"), WriteCondition.None);
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={EmbeddedSchema.DatabasePath(_dir)}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TRIGGER counters_insert AFTER INSERT ON objects BEGIN
                    UPDATE counters SET objects = objects + 1 WHERE NEW.etag != except_etag AND substr(NEW.key, 1, length(prefix)) = prefix;
                END;
                """;
            await command.ExecuteNonQueryAsync();
        }
        await using var reopened = new SqliteObjectStore(_dir, new RequestCounter(), countedPrefixThreshold: 5);
        Assert.That(await reopened.CountAsync("c/records/", null, null, null), Is.EqualTo(10));
        for (var i = 10; i < 15; i++) await reopened.PutAsync($"c/records/{i:D3}.json", Bytes($"r{i}"), WriteCondition.None);
        Assert.That(await reopened.CountAsync("c/records/", null, null, null), Is.EqualTo(15), "one trigger per write, not two");
    }

    [Test]
    public async Task A_count_with_bounds_never_creates_a_counter()
    {
        await using var store = new SqliteObjectStore(_dir, new RequestCounter(), countedPrefixThreshold: 5);
        for (var i = 0; i < 20; i++) await store.PutAsync($"c/records/{i:D3}.json", Bytes($"r{i}"), WriteCondition.None);
        Assert.That(await store.CountAsync("c/records/", "c/records/002.json", null, null), Is.EqualTo(17));
        Assert.That(await store.CountAsync("c/records/", null, "c/records/010.json", null), Is.EqualTo(10));
        Assert.That(await CountersAsync(_dir), Is.Zero);
    }
}
