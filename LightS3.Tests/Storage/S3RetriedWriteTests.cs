using LightS3.Storage;
using LightS3.Tests.Support;

namespace LightS3.Tests.Storage;

/// <summary>
/// The AWS SDK retries a write whose response was lost (a 5xx, a reset connection): the retry then fails its own
/// precondition although the first attempt landed. A refused conditional write whose very bytes are stored is a won write.
/// </summary>
[Category(External.Category)]
public sealed class S3RetriedWriteTests
{
    [Test]
    public async Task A_refused_conditional_write_whose_bytes_are_already_stored_counts_as_won()
    {
        var counter = new RequestCounter();
        using var store = new S3ObjectStore(S3TestServer.Options(S3TestServer.NewPrefix("retried")), counter);
        var first = "{\"id\":\"a\",\"version\":1}"u8.ToArray();
        var etag = await store.PutAsync("k.json", first, WriteCondition.IfNoneMatch);

        // what the SDK's retry of that create sends: the same bytes, the same condition
        Assert.That(await store.PutAsync("k.json", first, WriteCondition.IfNoneMatch), Is.EqualTo(etag));
        // the same for an update retried after it landed
        var second = "{\"id\":\"a\",\"version\":2}"u8.ToArray();
        var etag2 = await store.PutAsync("k.json", second, WriteCondition.IfMatch(etag));
        Assert.That(await store.PutAsync("k.json", second, WriteCondition.IfMatch(etag)), Is.EqualTo(etag2));

        // other bytes are still refused: a real conflict stays a conflict
        Assert.ThrowsAsync<PreconditionFailedException>(() => store.PutAsync("k.json", "{\"other\":true}"u8.ToArray(), WriteCondition.IfNoneMatch));
        Assert.ThrowsAsync<PreconditionFailedException>(() => store.PutAsync("k.json", "{\"other\":true}"u8.ToArray(), WriteCondition.IfMatch(etag)));
    }
}
