using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using LightS3.Storage;
using LightS3.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LightS3.Tests.Storage;

/// <summary>
/// <c>LIGHTS3_S3_CREATE_BUCKET=true</c> on a custom endpoint with a region that is not the server's: Ceph RGW answers
/// <c>InvalidLocationConstraint</c> to the SDK's location constraint, so the bucket is created without one.
/// </summary>
[Category(External.Category)]
public sealed class CreateBucketRegionTests
{
    private const string Region = "eu-west-1";

    private static S3StoreOptions OptionsFor(string bucket)
    {
        var options = S3TestServer.Options(S3TestServer.NewPrefix("region"));
        options.Bucket = bucket;
        options.Region = Region;
        options.CreateBucket = true;
        return options;
    }

    internal static async Task DeleteBucketAsync(string bucket)
    {
        using var admin = MissingBucketTests.Admin();
        try
        {
            var listing = await admin.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
            foreach (var o in listing.S3Objects ?? []) await admin.DeleteObjectAsync(bucket, o.Key);
            await admin.DeleteBucketAsync(bucket);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket")
        {
        }
    }

    [Test]
    public async Task Creating_a_bucket_with_a_region_the_server_rejects_as_location_constraint_retries_without_one()
    {
        var bucket = MissingBucketTests.MissingBucketName();
        using var store = new S3ObjectStore(OptionsFor(bucket), new RequestCounter());
        try
        {
            Assert.That(await store.EnsureBucketAsync(), Is.EqualTo(BucketCreation.CreatedWithoutLocationConstraint));
            Assert.That(await store.EnsureBucketAsync(), Is.EqualTo(BucketCreation.AlreadyExisted), "idempotent");
            Assert.That(await store.BucketExistsAsync(), Is.True);
            var etag = await store.PutAsync("r/1.json", Encoding.UTF8.GetBytes("{}"), WriteCondition.IfNoneMatch);
            Assert.That((await store.GetAsync("r/1.json"))!.ETag, Is.EqualTo(etag), "requests signed for the region are served");
        }
        finally
        {
            await DeleteBucketAsync(bucket);
        }
    }

    [Test]
    public async Task An_app_with_create_bucket_and_a_non_default_region_serves_and_logs_how_the_bucket_was_created()
    {
        var bucket = MissingBucketTests.MissingBucketName();
        var logs = new CapturingLoggerProvider();
        try
        {
            await using var app = await TestApp.StartAsync(TestStore.S3, a => a.Register<BookEndpoint>("/books"), o => o.S3 = OptionsFor(bucket),
                configureServices: s => s.AddSingleton<ILoggerProvider>(logs));
            Assert.That(await app.PostAsync("/books", new { title = "t", author = "a" }).StatusAsync(), Is.EqualTo(201));
            var startup = logs.Entries.Where(e => e.Category == "LightS3.Hosting.StorageStartup").ToList();
            Assert.That(startup, Has.Some.Matches<(string, LogLevel Level, string Message, Exception?)>(e => e.Level == LogLevel.Information
                && e.Message.Contains($"S3 bucket {bucket} created at {S3TestServer.Endpoint} without a location constraint")
                && e.Message.Contains(Region)));
            Assert.That(startup.Select(e => e.Level), Has.None.EqualTo(LogLevel.Warning));
        }
        finally
        {
            logs.Dispose();
            await DeleteBucketAsync(bucket);
        }
    }
}

/// <summary>The reported case, end to end: the Books example with <c>AWS_REGION=eu-west-1</c> creating its bucket on RGW.</summary>
[Category(External.Category)]
[NonParallelizable]
public sealed class CreateBucketRegionProcessTests
{
    [Test]
    public async Task A_process_with_aws_region_eu_west_1_creates_its_bucket_on_rgw_and_serves()
    {
        var bucket = MissingBucketTests.MissingBucketName();
        try
        {
            await using var books = await ExampleProcess.StartAsync(new Dictionary<string, string>
            {
                ["LIGHTS3_STORAGE"] = "s3",
                ["LIGHTS3_S3_BUCKET"] = bucket,
                ["LIGHTS3_S3_CREATE_BUCKET"] = "true",
                ["AWS_ENDPOINT_URL"] = S3TestServer.Endpoint,
                ["AWS_REGION"] = "eu-west-1",
            });
            var created = await books.Client.PostAsync("/books", System.Net.Http.Json.JsonContent.Create(new { title = "t", author = "a" }));
            Assert.That((int)created.StatusCode, Is.EqualTo(201), await created.Content.ReadAsStringAsync());
        }
        finally
        {
            await CreateBucketRegionTests.DeleteBucketAsync(bucket);
        }
    }
}
