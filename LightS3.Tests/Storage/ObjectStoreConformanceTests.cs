using System.Text;
using LightS3.Storage;
using LightS3.Tests.Support;

namespace LightS3.Tests.Storage;

/// <summary>One contract, five stores (the fifth: the S3 store over LightS3's own S3 API): every store must behave the same on these.</summary>
[TestFixture(TestStore.Memory)]
[TestFixture(TestStore.File)]
[TestFixture(TestStore.Embedded)]
[TestFixture(TestStore.S3, Category = External.Category)]
[TestFixture(TestStore.Gateway)]
public sealed class ObjectStoreConformanceTests(TestStore kind)
{
    private IObjectStore _store = null!;
    private RequestCounter _counter = null!;
    private string? _directory;

    [SetUp]
    public void SetUp()
    {
        _counter = new RequestCounter();
        _directory = TestStores.UsesDirectory(kind) ? TestStores.NewDirectory() : null;
        _store = TestStores.Create(kind, _counter, _directory);
    }

    [TearDown]
    public void TearDown()
    {
        (_store as IDisposable)?.Dispose();
        TestStores.TryDelete(_directory);
    }

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    [Test]
    public async Task Get_of_a_missing_key_is_null()
    {
        Assert.That(await _store.GetAsync("c/records/missing.json"), Is.Null);
    }

    [Test]
    public async Task Put_then_get_returns_the_bytes_and_the_same_etag()
    {
        var etag = await _store.PutAsync("c/a.json", Bytes("{\"a\":1}"), WriteCondition.None);
        var read = await _store.GetAsync("c/a.json");
        Assert.That(read, Is.Not.Null);
        Assert.That(Encoding.UTF8.GetString(read!.Content.Span), Is.EqualTo("{\"a\":1}"));
        Assert.That(read.ETag, Is.EqualTo(etag));
    }

    [Test]
    public async Task Create_only_write_fails_when_the_key_exists()
    {
        await _store.PutAsync("c/a.json", Bytes("1"), WriteCondition.IfNoneMatch);
        Assert.ThrowsAsync<PreconditionFailedException>(() => _store.PutAsync("c/a.json", Bytes("2"), WriteCondition.IfNoneMatch));
        Assert.That(Encoding.UTF8.GetString((await _store.GetAsync("c/a.json"))!.Content.Span), Is.EqualTo("1"));
    }

    [Test]
    public async Task Compare_and_swap_succeeds_on_the_current_etag_and_fails_on_a_stale_one()
    {
        var first = await _store.PutAsync("c/a.json", Bytes("1"), WriteCondition.IfNoneMatch);
        var second = await _store.PutAsync("c/a.json", Bytes("2"), WriteCondition.IfMatch(first));
        Assert.That(second, Is.Not.EqualTo(first));
        Assert.ThrowsAsync<PreconditionFailedException>(() => _store.PutAsync("c/a.json", Bytes("3"), WriteCondition.IfMatch(first)));
        Assert.That(Encoding.UTF8.GetString((await _store.GetAsync("c/a.json"))!.Content.Span), Is.EqualTo("2"));
    }

    [Test]
    public void Compare_and_swap_on_a_missing_key_fails()
    {
        Assert.ThrowsAsync<PreconditionFailedException>(() => _store.PutAsync("c/none.json", Bytes("1"), WriteCondition.IfMatch("abc")));
    }

    [Test]
    public async Task Rewriting_identical_bytes_after_a_change_never_repeats_a_stale_etag_that_still_matches()
    {
        var e1 = await _store.PutAsync("c/a.json", Bytes("same"), WriteCondition.None);
        var e2 = await _store.PutAsync("c/a.json", Bytes("other"), WriteCondition.IfMatch(e1));
        await _store.PutAsync("c/a.json", Bytes("later"), WriteCondition.IfMatch(e2));
        Assert.ThrowsAsync<PreconditionFailedException>(() => _store.PutAsync("c/a.json", Bytes("x"), WriteCondition.IfMatch(e2)));
    }

    [Test]
    public async Task Delete_reports_whether_the_key_existed()
    {
        await _store.PutAsync("c/a.json", Bytes("1"), WriteCondition.None);
        Assert.That(await _store.DeleteAsync("c/a.json"), Is.True);
        Assert.That(await _store.DeleteAsync("c/a.json"), Is.False);
        Assert.That(await _store.GetAsync("c/a.json"), Is.Null);
    }

    [Test]
    public async Task Conditional_delete_fails_on_a_stale_etag_and_keeps_the_object()
    {
        var e1 = await _store.PutAsync("c/a.json", Bytes("1"), WriteCondition.None);
        var e2 = await _store.PutAsync("c/a.json", Bytes("2"), WriteCondition.IfMatch(e1));
        Assert.ThrowsAsync<PreconditionFailedException>(() => _store.DeleteAsync("c/a.json", e1));
        Assert.That(await _store.GetAsync("c/a.json"), Is.Not.Null);
        Assert.That(await _store.DeleteAsync("c/a.json", e2), Is.True);
    }

    [Test]
    public async Task Observed_delete_removes_the_object_read_at_that_etag()
    {
        var etag = await _store.PutAsync("c/o.json", Bytes("1"), WriteCondition.None);
        Assert.That(await _store.DeleteObservedAsync("c/o.json", etag), Is.True);
        Assert.That(await _store.GetAsync("c/o.json"), Is.Null);
    }

    [Test]
    public async Task Observed_delete_is_refused_after_a_change_where_the_store_enforces_it()
    {
        var e1 = await _store.PutAsync("c/p.json", Bytes("1"), WriteCondition.None);
        await _store.PutAsync("c/p.json", Bytes("2"), WriteCondition.IfMatch(e1));
        if (_store.AtomicConditionalDelete)
        {
            Assert.ThrowsAsync<PreconditionFailedException>(() => _store.DeleteObservedAsync("c/p.json", e1));
            Assert.That(await _store.GetAsync("c/p.json"), Is.Not.Null);
        }
        else
        {
            Assert.That(kind, Is.EqualTo(TestStore.S3), "only S3 servers that ignore If-Match on DELETE (Ceph RGW 16) may lack it");
            Assert.That(await _store.DeleteAsync("c/p.json", e1).ContinueWith(t => t.Exception?.InnerException), Is.TypeOf<PreconditionFailedException>(),
                "the HEAD-checked delete still refuses a stale ETag");
        }
    }

    [Test]
    public async Task Listing_is_ordinal_prefix_scoped_and_pages_with_start_after()
    {
        var keys = Enumerable.Range(0, 25).Select(i => $"list/records/{i:D3}.json").ToList();
        foreach (var key in keys) await _store.PutAsync(key, Bytes(key), WriteCondition.None);
        await _store.PutAsync("list/other/x.json", Bytes("x"), WriteCondition.None);
        await _store.PutAsync("listing/records/000.json", Bytes("x"), WriteCondition.None);

        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        while (true)
        {
            var page = await _store.ListAsync("list/records/", after, 10);
            pages++;
            seen.AddRange(page.Entries.Select(e => e.Key));
            Assert.That(page.Entries.All(e => e.ETag.Length > 0), Is.True);
            if (!page.IsTruncated) break;
            after = page.Entries[^1].Key;
        }
        Assert.That(seen, Is.EqualTo(keys));
        Assert.That(pages, Is.EqualTo(3));
    }

    [Test]
    public async Task Listing_reports_the_same_etag_as_get()
    {
        var etag = await _store.PutAsync("e/records/a.json", Bytes("{}"), WriteCondition.None);
        var listed = (await _store.ListAsync("e/records/", null, 10)).Entries.Single();
        Assert.That(listed.ETag, Is.EqualTo(etag));
    }

    [Test]
    public async Task Listing_an_empty_prefix_returns_nothing()
    {
        var page = await _store.ListAsync("nothing-here/", null, 100);
        Assert.That(page.Entries, Is.Empty);
        Assert.That(page.IsTruncated, Is.False);
    }

    [Test]
    public void Keys_that_escape_their_root_are_rejected()
    {
        Assert.ThrowsAsync<ArgumentException>(() => _store.GetAsync("c/../../etc/passwd"));
        Assert.ThrowsAsync<ArgumentException>(() => _store.PutAsync("c//a", Bytes("1"), WriteCondition.None));
    }

    [Test]
    public async Task Racing_creates_of_one_key_have_exactly_one_winner()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            try
            {
                await _store.PutAsync("race/a.json", Bytes($"{i}"), WriteCondition.IfNoneMatch);
                return true;
            }
            catch (PreconditionFailedException)
            {
                return false;
            }
        }));
        Assert.That(results.Count(r => r), Is.EqualTo(1));
    }

    [Test]
    public async Task Racing_compare_and_swaps_on_one_etag_have_exactly_one_winner()
    {
        var etag = await _store.PutAsync("race/b.json", Bytes("0"), WriteCondition.None);
        var results = await Task.WhenAll(Enumerable.Range(1, 10).Select(async i =>
        {
            try
            {
                await _store.PutAsync("race/b.json", Bytes($"{i}"), WriteCondition.IfMatch(etag));
                return true;
            }
            catch (PreconditionFailedException)
            {
                return false;
            }
        }));
        Assert.That(results.Count(r => r), Is.EqualTo(1));
    }

    [Test]
    public async Task Every_backend_request_is_counted()
    {
        var before = _counter.Snapshot();
        await _store.PutAsync("n/a.json", Bytes("1"), WriteCondition.IfNoneMatch);
        await _store.GetAsync("n/a.json");
        await _store.ListAsync("n/", null, 10);
        var d = _counter.Snapshot().Minus(before);
        Assert.That((d[StoreOperation.Put], d[StoreOperation.Get], d[StoreOperation.List]), Is.EqualTo((1L, 1L, 1L)));
    }
}
