using System.Text;
using Amazon.S3;
using LightS3.Storage;
using LightS3.Tests.Support;

namespace LightS3.Tests.Storage;

/// <summary>
/// On the real S3 server, a bucket that does not exist is reported as such by every operation — never read as a
/// missing key (404), a failed precondition (409) or an unknown server error.
/// </summary>
[Category(External.Category)]
public sealed class MissingBucketTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"a":1}""");

    /// <summary>A bucket name nobody created.</summary>
    public static string MissingBucketName() => $"lights3-missing-{Guid.NewGuid():N}"[..40];

    private static S3ObjectStore StoreOn(string bucket, RequestCounter? counter = null)
    {
        var options = S3TestServer.Options(S3TestServer.NewPrefix("missing"));
        options.Bucket = bucket;
        return new S3ObjectStore(options, counter ?? new RequestCounter());
    }

    /// <summary>An SDK client on the test server, to create and delete buckets behind the store's back.</summary>
    public static AmazonS3Client Admin() => new(S3TestServer.Options("").AccessKeyId, S3TestServer.Options("").SecretAccessKey,
        new AmazonS3Config { ServiceURL = S3TestServer.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

    private static void AssertMissingBucket(Func<Task> operation, string bucket, string what)
    {
        var error = Assert.ThrowsAsync<BucketNotFoundException>(operation, what);
        Assert.That((error!.Bucket, error.Endpoint), Is.EqualTo((bucket, S3TestServer.Endpoint)), what);
        Assert.That(error.Message, Does.Contain(bucket).And.Contain(S3TestServer.Endpoint), what);
    }

    [Test]
    public void Every_operation_on_a_missing_bucket_throws_bucket_not_found()
    {
        var bucket = MissingBucketName();
        using var store = StoreOn(bucket);
        AssertMissingBucket(() => store.GetAsync("r/1.json"), bucket, "GET is not 'no such key'");
        AssertMissingBucket(() => store.PutAsync("r/1.json", Body, WriteCondition.None), bucket, "plain PUT");
        AssertMissingBucket(() => store.PutAsync("r/1.json", Body, WriteCondition.IfNoneMatch), bucket, "create is not a precondition failure");
        AssertMissingBucket(() => store.PutAsync("r/1.json", Body, WriteCondition.IfMatch("abc")), bucket, "update is not a precondition failure");
        AssertMissingBucket(() => store.DeleteAsync("r/1.json"), bucket, "DELETE (HEAD first) is not 'already gone'");
        AssertMissingBucket(() => store.DeleteAsync("r/1.json", "abc"), bucket, "conditional DELETE");
        AssertMissingBucket(() => store.DeleteObservedAsync("r/1.json", "abc"), bucket, "observed DELETE is not 'already gone'");
        AssertMissingBucket(() => store.ListAsync("r/", null, 10), bucket, "LIST");
    }

    [Test]
    public async Task Bucket_exists_answers_false_for_a_missing_bucket_and_true_for_the_test_bucket()
    {
        using var missing = StoreOn(MissingBucketName());
        using var present = StoreOn(S3TestServer.Bucket);
        Assert.That(await missing.BucketExistsAsync(), Is.False);
        Assert.That(await present.BucketExistsAsync(), Is.True);
    }

    [Test]
    public async Task A_head_404_in_an_existing_bucket_is_still_a_missing_key_and_costs_one_bucket_check_at_most()
    {
        var counter = new RequestCounter();
        using var store = StoreOn(S3TestServer.Bucket, counter);
        Assert.That(await store.DeleteAsync("r/none.json"), Is.False, "first time: HEAD 404, then HeadBucket says the bucket exists");
        var first = counter.Snapshot().Total;
        Assert.That(await store.DeleteAsync("r/none.json"), Is.False);
        Assert.That(counter.Snapshot().Total - first, Is.EqualTo(1), "the bucket is known to exist now: one HEAD only");
    }

    [Test]
    public async Task A_bucket_removed_while_in_use_is_reported_missing_and_a_recreated_one_serves_again()
    {
        var bucket = MissingBucketName();
        using var admin = Admin();
        await admin.PutBucketAsync(bucket);
        using var store = StoreOn(bucket);
        var etag = await store.PutAsync("r/1.json", Body, WriteCondition.IfNoneMatch);
        Assert.That((await store.GetAsync("r/1.json"))!.ETag, Is.EqualTo(etag));
        await store.DeleteAsync("r/1.json");
        await admin.DeleteBucketAsync(bucket);

        AssertMissingBucket(() => store.GetAsync("r/1.json"), bucket, "GET after the bucket went away");
        AssertMissingBucket(() => store.DeleteAsync("r/1.json"), bucket, "the HEAD 404 is checked again once a bucket error was seen");

        await admin.PutBucketAsync(bucket);
        try
        {
            Assert.That(await store.GetAsync("r/1.json"), Is.Null, "a recreated bucket serves again, no restart");
            await store.PutAsync("r/1.json", Body, WriteCondition.IfNoneMatch);
            await store.DeleteAsync("r/1.json");
        }
        finally
        {
            await admin.DeleteBucketAsync(bucket);
        }
    }
}
