using Amazon.S3;
using Amazon.S3.Model;
using LightS3.Storage;
using LightS3.Tests.Support;

namespace LightS3.Tests.Storage;

/// <summary>
/// A conditional write whose outcome is ambiguous — a 5xx, or the SDK's retry of an attempt that landed failing its own
/// precondition — is settled by reading back the id the write carried, never by its bytes: two writers may send the
/// same bytes (every tombstone is alike), and only one of them won.
/// </summary>
[Category(External.Category)]
public sealed class S3RetriedWriteTests
{
    private static readonly byte[] Same = "{\"_tombstone\":true}"u8.ToArray();

    private static (S3ObjectStore Store, InterceptingS3Client Client, S3ObjectStore Other) Stores()
    {
        var options = S3TestServer.Options(S3TestServer.NewPrefix("retried"));
        var client = new InterceptingS3Client(options);
        return (new S3ObjectStore(options, new RequestCounter(), client), client, new S3ObjectStore(options, new RequestCounter()));
    }

    [Test]
    public async Task A_write_that_landed_and_then_failed_its_retry_or_lost_its_response_counts_as_won()
    {
        var (store, client, other) = Stores();
        using var _ = other;
        var etag = await other.PutAsync("k.json", "{\"v\":1}"u8.ToArray(), WriteCondition.IfNoneMatch);

        // the SDK's retry of an attempt that landed: the same request (same write id) is refused by its own precondition
        client.OnPut = async (request, send) =>
        {
            await send();
            return await send();
        };
        var won = await store.PutAsync("k.json", Same, WriteCondition.IfMatch(etag));
        Assert.That((await other.GetAsync("k.json"))!.ETag, Is.EqualTo(won), "recognised as this write");

        // the response lost after the write landed (a 5xx)
        client.OnPut = async (request, send) =>
        {
            await send();
            throw InterceptingS3Client.ServerError();
        };
        var again = await store.PutAsync("k.json", "{\"v\":3}"u8.ToArray(), WriteCondition.IfMatch(won));
        Assert.That((await other.GetAsync("k.json"))!.ETag, Is.EqualTo(again));
        Assert.That(client.Config.MaxErrorRetry, Is.GreaterThan(0), "the store trusts a refused retry only when the SDK retries");
    }

    [TestCase(true, TestName = "Another_writers_identical_bytes_landing_first_make_an_ambiguous_500_a_conflict")]
    [TestCase(false, TestName = "Another_writers_identical_bytes_landing_first_make_a_refused_retry_a_conflict")]
    public async Task Another_writers_identical_bytes_are_not_this_write(bool serverError)
    {
        var (store, client, other) = Stores();
        using var _ = other;
        var etag = await other.PutAsync("k.json", "{\"v\":1}"u8.ToArray(), WriteCondition.IfNoneMatch);

        // two writers CAS the same version with the same bytes (two racing deletes); the other one lands first
        var staged = 0;
        client.OnPut = async (request, send) =>
        {
            Interlocked.Increment(ref staged);
            await other.PutAsync("k.json", Same, WriteCondition.IfMatch(etag));
            if (serverError) throw InterceptingS3Client.ServerError(); // RGW's answer to a losing racer
            return await send(); // refused: 412
        };
        Assert.ThrowsAsync<PreconditionFailedException>(() => store.PutAsync("k.json", Same, WriteCondition.IfMatch(etag)));
        Assert.That(staged, Is.EqualTo(1), "the race was staged");
        Assert.That((await other.GetAsync("k.json"))!.Content.ToArray(), Is.EqualTo(Same), "the other writer's bytes are what is stored");
    }

    [Test]
    public async Task A_write_that_did_not_land_while_the_precondition_still_holds_is_unavailable_not_won()
    {
        var (store, client, other) = Stores();
        using var _ = other;
        var etag = await other.PutAsync("k.json", "{\"v\":1}"u8.ToArray(), WriteCondition.IfNoneMatch);
        client.OnPut = (request, send) => throw InterceptingS3Client.ServerError();
        Assert.ThrowsAsync<StorageUnavailableException>(() => store.PutAsync("k.json", Same, WriteCondition.IfMatch(etag)));
    }
}
