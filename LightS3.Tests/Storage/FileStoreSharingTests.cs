using System.Text;
using LightS3.Storage;
using LightS3.Tests.Support;

namespace LightS3.Tests.Storage;

/// <summary>The embedded store's guarantees across independent store instances and restarts.</summary>
public sealed class FileStoreSharingTests
{
    [Test]
    public async Task Two_store_instances_on_one_directory_still_have_one_compare_and_swap_winner()
    {
        // Separate instances share nothing in memory: only the OS file locks serialise them, as between processes.
        var dir = TestStores.NewDirectory();
        try
        {
            var a = new FileObjectStore(dir, new RequestCounter());
            var b = new FileObjectStore(dir, new RequestCounter());
            var etag = await a.PutAsync("k/x.json", Encoding.UTF8.GetBytes("0"), WriteCondition.None);
            var wins = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
            {
                var store = i % 2 == 0 ? a : b;
                try
                {
                    await store.PutAsync("k/x.json", Encoding.UTF8.GetBytes($"{i}"), WriteCondition.IfMatch(etag));
                    return 1;
                }
                catch (PreconditionFailedException)
                {
                    return 0;
                }
            }));
            Assert.That(wins.Sum(), Is.EqualTo(1));
        }
        finally
        {
            TestStores.TryDelete(dir);
        }
    }

    [Test]
    public async Task Data_survives_reopening_the_directory()
    {
        var dir = TestStores.NewDirectory();
        try
        {
            var etag = await new FileObjectStore(dir, new RequestCounter()).PutAsync("k/y.json", Encoding.UTF8.GetBytes("kept"), WriteCondition.None);
            var reopened = await new FileObjectStore(dir, new RequestCounter()).GetAsync("k/y.json");
            Assert.That(Encoding.UTF8.GetString(reopened!.Content.Span), Is.EqualTo("kept"));
            Assert.That(reopened.ETag, Is.EqualTo(etag));
        }
        finally
        {
            TestStores.TryDelete(dir);
        }
    }

    [Test]
    public async Task Lock_files_stay_bounded_however_many_keys_are_written()
    {
        var dir = TestStores.NewDirectory();
        try
        {
            var store = new FileObjectStore(dir, new RequestCounter());
            for (var i = 0; i < 600; i++) await store.PutAsync($"k/{i}.json", Encoding.UTF8.GetBytes("1"), WriteCondition.IfNoneMatch);
            Assert.That(Directory.GetFiles(Path.Combine(dir, ".locks")).Length, Is.LessThanOrEqualTo(256));
        }
        finally
        {
            TestStores.TryDelete(dir);
        }
    }
}
