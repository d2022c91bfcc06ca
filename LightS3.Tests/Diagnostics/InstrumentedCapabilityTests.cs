using LightS3.Diagnostics;
using LightS3.Storage;

namespace LightS3.Tests.Diagnostics;

/// <summary>
/// The instrumentation decorator forwards the optional store capabilities (backward listing, range counts) instead of
/// being looked through: the query engine calls it, so those requests are spans too; over a store without them it
/// says so, and the engine falls back to forward listing.
/// </summary>
[NonParallelizable]
public sealed class InstrumentedCapabilityTests
{
    [Test]
    public async Task Backward_listing_and_counting_go_through_the_decorator_and_are_spans()
    {
        using var spans = new SpanRecorder();
        var memory = new InMemoryObjectStore(new RequestCounter());
        var store = new InstrumentedObjectStore(memory);
        foreach (var key in new[] { "p/a", "p/b", "p/c" }) await store.PutAsync(key, "{}"u8.ToArray(), WriteCondition.None);

        Assert.That(store.BackwardLister(), Is.SameAs(store), "the decorator is the one called, not the store under it");
        Assert.That(store.Counter(), Is.SameAs(store));
        var listing = await store.BackwardLister()!.ListBeforeAsync("p/", "p/c", 10);
        Assert.That(listing.Entries.Select(e => e.Key), Is.EqualTo(new[] { "p/b", "p/a" }));
        Assert.That(await store.Counter()!.CountAsync("p/", null, null, null), Is.EqualTo(3));
        Assert.That(spans.Spans.Select(s => s.GetTagItem("lights3.store.operation")), Does.Contain("list").And.Contain("count"));
    }

    [Test]
    public void Over_a_store_that_lists_forwards_only_the_decorator_offers_neither_capability()
    {
        var directory = Path.Combine(Path.GetTempPath(), "lights3-cap-" + Guid.NewGuid().ToString("N"));
        try
        {
            var store = new InstrumentedObjectStore(new FileObjectStore(directory, new RequestCounter()));
            Assert.That((store.CanListBackwards, store.CanCount), Is.EqualTo((false, false)));
            Assert.That(store.BackwardLister(), Is.Null);
            Assert.That(store.Counter(), Is.Null);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, true);
        }
    }
}
