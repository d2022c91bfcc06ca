using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;
using LightS3.Tests.Support;
using Microsoft.AspNetCore.Builder;

namespace LightS3.Tests.S3Api;

/// <summary>
/// The gateway is a peer of the REST API on one store: records are visible as objects in a bucket mapped onto the store,
/// but writes there never touch a collection's objects or LightS3's own unless the bucket is Raw.
/// </summary>
public sealed class S3ApiMappedBucketTests
{
    private S3GatewayServer _server = null!;
    private AmazonS3Client _s3 = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await S3GatewayServer.StartAsync(o =>
        {
            o.Buckets["app"] = new S3ApiBucketOptions { Prefix = "" };
            o.Buckets["app-raw"] = new S3ApiBucketOptions { Prefix = "", Raw = true };
        }, map: app =>
        {
            app.UseLightS3();
            app.MapRestEndpoint("/books", typeof(BookEndpoint));
        });
        _s3 = _server.Client();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _s3.Dispose();
        await _server.DisposeAsync();
    }

    private async Task<string> CreateBook()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_server.Url) };
        var response = await http.PostAsJsonAsync("/books", new { title = "Dune", author = "Herbert" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    [Test]
    public async Task A_record_written_through_the_rest_api_is_visible_as_an_object()
    {
        var id = await CreateBook();
        using var got = await _s3.GetObjectAsync("app", $"books/records/{id}.json");
        var json = JsonNode.Parse(got.ResponseStream)!;
        Assert.That(json["title"]!.GetValue<string>(), Is.EqualTo("Dune"));
        Assert.That(got.Headers.ContentType, Is.EqualTo("application/json"));
        var listed = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "app", Prefix = "books/records/" });
        Assert.That(listed.S3Objects.Select(o => o.Key), Does.Contain($"books/records/{id}.json"));
    }

    [TestCase("books/records/forged.json", TestName = "A record key is refused")]
    [TestCase("books/unique/isbn/v123", TestName = "A unique marker key is refused")]
    [TestCase("_lights3/jobs/x", TestName = "LightS3's internal prefix is refused")]
    public async Task Writes_onto_lightS3_objects_are_refused_in_a_mapped_bucket(string key)
    {
        var e = Assert.CatchAsync<AmazonS3Exception>(() => _s3.PutObjectAsync(new PutObjectRequest { BucketName = "app", Key = key, ContentBody = "{}" }));
        Assert.That((e!.StatusCode, e.ErrorCode), Is.EqualTo((HttpStatusCode.Forbidden, "AccessDenied")));
        Assert.That(await _server.Store.GetAsync(key), Is.Null, "nothing stored");
    }

    [Test]
    public async Task Deleting_a_record_through_a_mapped_bucket_is_refused_and_the_record_survives()
    {
        var id = await CreateBook();
        var e = Assert.CatchAsync<AmazonS3Exception>(() => _s3.DeleteObjectAsync("app", $"books/records/{id}.json"));
        Assert.That(e!.ErrorCode, Is.EqualTo("AccessDenied"));
        var multi = Assert.CatchAsync<DeleteObjectsException>(() => _s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = "app", Objects = [new() { Key = $"books/records/{id}.json" }] }));
        Assert.That(multi!.Response.DeleteErrors.Select(d => d.Code), Is.EqualTo(new[] { "AccessDenied" }));
        Assert.That(await _server.Store.GetAsync($"books/records/{id}.json"), Is.Not.Null);
    }

    [Test]
    public async Task Other_keys_of_a_mapped_bucket_and_any_key_of_a_raw_bucket_are_writable()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "app", Key = "exports/today.csv", ContentBody = "a,b" });
        Assert.That(await _server.Store.GetAsync("exports/today.csv"), Is.Not.Null);
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "app-raw", Key = "books/raw-note.txt", ContentBody = "raw" });
        Assert.That(await _server.Store.GetAsync("books/raw-note.txt"), Is.Not.Null);
        await _s3.DeleteObjectAsync("app-raw", "books/raw-note.txt");
    }
}
