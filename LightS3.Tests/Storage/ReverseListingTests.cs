using System.Text;
using LightS3.Storage;
using LightS3.Tests.Support;

namespace LightS3.Tests.Storage;

/// <summary><see cref="IReverseListingObjectStore.ListBeforeAsync"/>: the forward listing of the same range, backwards, page by page.</summary>
[TestFixture(TestStore.Memory)]
[TestFixture(TestStore.Embedded)]
public sealed class ReverseListingTests(TestStore kind)
{
    private IObjectStore _store = null!;
    private string? _dir;

    [SetUp]
    public async Task SetUp()
    {
        _dir = TestStores.UsesDirectory(kind) ? TestStores.NewDirectory() : null;
        _store = TestStores.Create(kind, new RequestCounter(), _dir);
        foreach (var key in new[] { "a/x", "c/records/000.json", "c/records/001.json", "c/records/002.json", "c/records/010.json", "c/records/011.json",
                     "c/records/é.json", "c/recordsZ", "d/y" })
            await _store.PutAsync(key, Encoding.UTF8.GetBytes(key), WriteCondition.None);
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_store is IAsyncDisposable d) await d.DisposeAsync();
        TestStores.TryDelete(_dir);
    }

    private async Task<List<string>> BackwardsAsync(string prefix, string? endBefore, int pageSize)
    {
        var keys = new List<string>();
        var reverse = (IReverseListingObjectStore)_store;
        while (true)
        {
            var page = await reverse.ListBeforeAsync(prefix, endBefore, pageSize);
            Assert.That(page.Entries.Count, Is.LessThanOrEqualTo(pageSize));
            keys.AddRange(page.Entries.Select(e => e.Key));
            if (!page.IsTruncated) return keys;
            endBefore = page.Entries[^1].Key;
        }
    }

    [TestCase("c/records/", null, 2)]
    [TestCase("c/records/", null, 1000)]
    [TestCase("c/records/", "c/records/011.json", 2)]
    [TestCase("c/records/", "c/records/005", 1)]
    [TestCase("c/records/", "c/", 3)]
    [TestCase("c/records/", "z", 3)]
    [TestCase("c/", null, 4)]
    [TestCase("nothing/", null, 4)]
    public async Task A_reverse_listing_is_the_forward_listing_backwards(string prefix, string? endBefore, int pageSize)
    {
        var forward = new List<string>();
        await foreach (var e in _store.EnumerateAsync(prefix))
            if (endBefore is null || string.CompareOrdinal(e.Key, endBefore) < 0) forward.Add(e.Key);
        forward.Reverse();
        Assert.That(await BackwardsAsync(prefix, endBefore, pageSize), Is.EqualTo(forward));
    }
}
