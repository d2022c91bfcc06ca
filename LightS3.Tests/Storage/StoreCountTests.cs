using System.Text;
using LightS3.Storage;
using LightS3.Tests.Support;

namespace LightS3.Tests.Storage;

/// <summary>
/// <see cref="ICountingObjectStore.CountAsync"/> on the stores that have it (memory, SQLite): a count is exactly the
/// number of keys a listing of the same range returns, without the excluded ETag's objects, whatever was written before.
/// </summary>
[TestFixture(TestStore.Memory)]
[TestFixture(TestStore.Embedded)]
public sealed class StoreCountTests(TestStore kind)
{
    private static readonly byte[] Marker = Encoding.UTF8.GetBytes("{\"_tombstone\":true}");
    private static readonly string MarkerETag = ETags.Compute(Marker);
    private IObjectStore _store = null!;
    private string? _dir;

    [SetUp]
    public void SetUp()
    {
        _dir = TestStores.UsesDirectory(kind) ? TestStores.NewDirectory() : null;
        _store = TestStores.Create(kind, new RequestCounter(), _dir);
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_store is IAsyncDisposable d) await d.DisposeAsync();
        TestStores.TryDelete(_dir);
    }

    private ICountingObjectStore Counting => (ICountingObjectStore)_store;

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    /// <summary>What a listing of the range says: the reference a count must equal.</summary>
    private async Task<long> ListedAsync(string prefix, string? startAfter, string? endBefore, string? exceptETag)
    {
        long n = 0;
        await foreach (var e in _store.EnumerateAsync(prefix, startAfter, 7))
        {
            if (endBefore is not null && string.CompareOrdinal(e.Key, endBefore) >= 0) break;
            if (e.ETag != exceptETag) n++;
        }
        return n;
    }

    [Test]
    public async Task A_count_equals_the_listing_of_the_same_range_with_bounds_and_an_excluded_etag()
    {
        for (var i = 0; i < 60; i++) await _store.PutAsync($"c/records/{i:D3}.json", Bytes($"record {i}"), WriteCondition.None);
        for (var i = 0; i < 60; i += 7) await _store.PutAsync($"c/records/{i:D3}.json", Marker, WriteCondition.None);
        for (var i = 0; i < 30; i++) await _store.PutAsync($"c/index/team/t{i % 3}/{i:D3}/1", Bytes("{\"v\":1}"), WriteCondition.None);
        await _store.PutAsync("c/recordsX", Bytes("beside the prefix"), WriteCondition.None);
        await _store.PutAsync("b/records/000.json", Bytes("another collection"), WriteCondition.None);

        var cases = new (string Prefix, string? After, string? Before, string? Except)[]
        {
            ("c/records/", null, null, null),
            ("c/records/", null, null, MarkerETag),
            ("c/records/", "c/records/010.json", null, MarkerETag),
            ("c/records/", "c/records/010.json", "c/records/040.json", null),
            ("c/records/", "a", "c/records/020", null), // StartAfter below the prefix: from the prefix's start
            ("c/index/team/t1/", null, null, null),
            ("c/index/team/", "c/index/team/t0/~", "c/index/team/t2/", null),
            ("c/", null, null, null),
            ("", null, null, null),
            ("nothing/", null, null, null),
        };
        foreach (var (prefix, after, before, except) in cases)
            Assert.That(await Counting.CountAsync(prefix, after, before, except), Is.EqualTo(await ListedAsync(prefix, after, before, except)),
                $"{prefix} after {after} before {before} except {except}");
        Assert.That(await Counting.CountAsync("c/records/", null, null, MarkerETag), Is.EqualTo(60 - 9));
    }

    [Test]
    public async Task A_count_excluding_an_etag_follows_writes_that_turn_objects_into_it_and_back()
    {
        for (var i = 0; i < 20; i++) await _store.PutAsync($"c/records/{i:D3}.json", Bytes($"record {i}"), WriteCondition.None);
        Assert.That(await Counting.CountAsync("c/records/", null, null, MarkerETag), Is.EqualTo(20)); // from here on the store tracks the marker
        var etag = await _store.PutAsync("c/records/003.json", Marker, WriteCondition.None);
        await _store.PutAsync("c/records/004.json", Marker, WriteCondition.None);
        await _store.PutAsync("c/records/100.json", Marker, WriteCondition.IfNoneMatch);
        Assert.That(await Counting.CountAsync("c/records/", null, null, MarkerETag), Is.EqualTo(18));
        await _store.PutAsync("c/records/003.json", Bytes("alive again"), WriteCondition.IfMatch(etag));
        await _store.DeleteAsync("c/records/004.json");
        await _store.DeleteAsync("c/records/005.json");
        Assert.That(await Counting.CountAsync("c/records/", null, null, MarkerETag), Is.EqualTo(18));
        Assert.That(await Counting.CountAsync("c/records/", null, null, null), Is.EqualTo(19));
    }
}
