using System.Net;
using LightS3.Hosting;
using LightS3.Tests.Storage;
using LightS3.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LightS3.Tests.Http;

/// <summary>
/// An app on the real S3 server whose bucket does not exist: every request answers 503 with a detail naming the bucket
/// and the endpoint — never 404 "not found", 409 "already exists" or 500 — and startup says so in the log.
/// </summary>
[Category(External.Category)]
public sealed class MissingBucketHttpTests
{
    private const string AnyId = "0190a0b0-0000-7000-8000-000000000000";

    private CapturingLoggerProvider _logs = new();

    [SetUp]
    public void FreshLog() => _logs = new CapturingLoggerProvider(); // one fixture instance runs every test

    [TearDown]
    public void DisposeLog() => _logs.Dispose();

    private Task<TestApp> StartOnBucket(string bucket, Action<LightS3Options>? configure = null) =>
        TestApp.StartAsync(TestStore.S3, a => a.Register<BookEndpoint>("/books"), o =>
        {
            o.S3.Bucket = bucket;
            configure?.Invoke(o);
        }, configureServices: s => s.AddSingleton<ILoggerProvider>(_logs));

    private IEnumerable<(LogLevel Level, string Message)> StartupLog() =>
        _logs.Entries.Where(e => e.Category == "LightS3.Hosting.StorageStartup").Select(e => (e.Level, e.Message));

    [Test]
    public async Task Every_verb_answers_503_naming_the_missing_bucket_and_endpoint()
    {
        var bucket = MissingBucketTests.MissingBucketName();
        await using var app = await StartOnBucket(bucket);
        var book = new { title = "t", author = "a", isbn = "9780000000001" };
        var requests = new (HttpMethod Method, string Path, object? Body)[]
        {
            (HttpMethod.Get, "/books", null),
            (HttpMethod.Get, $"/books/{AnyId}", null),
            (HttpMethod.Post, "/books", book), // a unique field: not a false 409 "already exists"
            (HttpMethod.Put, $"/books/{AnyId}", new { title = "t", author = "a", version = 1 }),
            (HttpMethod.Patch, $"/books/{AnyId}", new { title = "t", version = 1 }),
            (HttpMethod.Delete, $"/books/{AnyId}", null),
        };
        foreach (var (method, path, body) in requests)
        {
            var response = await app.SendAsync(method, path, body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), $"{method} {path}: {text}");
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            var detail = (await response.JsonAsync())["detail"]!.GetValue<string>();
            Assert.That(detail, Does.Contain($"bucket '{bucket}' does not exist").And.Contain(S3TestServer.Endpoint), $"{method} {path}");
        }
    }

    [Test]
    public async Task Readiness_is_503_and_names_the_missing_bucket()
    {
        var bucket = MissingBucketTests.MissingBucketName();
        await using var app = await StartOnBucket(bucket);
        var ready = await app.Client.GetAsync("/readyz");
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That((await ready.JsonAsync())["checks"]!["storage"]!["description"]!.GetValue<string>(), Does.Contain(bucket));
    }

    [Test]
    public async Task Startup_warns_about_a_missing_bucket_naming_bucket_and_endpoint()
    {
        var bucket = MissingBucketTests.MissingBucketName();
        await using var app = await StartOnBucket(bucket);
        Assert.That(StartupLog(), Has.Some.Matches<(LogLevel Level, string Message)>(e =>
            e.Level == LogLevel.Warning && e.Message.Contains($"S3 bucket {bucket} does not exist at {S3TestServer.Endpoint}")
            && e.Message.Contains("LIGHTS3_S3_CREATE_BUCKET")));
    }

    [Test]
    public async Task Startup_logs_information_when_the_bucket_exists()
    {
        await using var app = await StartOnBucket(S3TestServer.Bucket);
        Assert.That(StartupLog(), Has.Some.EqualTo((LogLevel.Information, $"S3 bucket {S3TestServer.Bucket} found at {S3TestServer.Endpoint}")));
        Assert.That(StartupLog().Select(e => e.Level), Has.None.EqualTo(LogLevel.Warning));
    }

    [Test]
    public async Task Startup_on_an_unreachable_s3_is_not_blocked_and_requests_answer_503()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        await using var app = await StartOnBucket(S3TestServer.Bucket, o =>
        {
            o.S3.ServiceUrl = "http://127.0.0.1:9"; // discard port: connection refused
            o.S3.OperationTimeout = TimeSpan.FromSeconds(3);
        });
        // a hang guard (20× the 3 s operation timeout, for a loaded machine), below the SDK's own 100 s default
        Assert.That(started.Elapsed, Is.LessThan(TimeSpan.FromSeconds(60)), "startup waits at most the operation timeout");
        Assert.That(StartupLog(), Has.Some.Matches<(LogLevel Level, string Message)>(e =>
            e.Level == LogLevel.Warning && e.Message.Contains("could not be checked") && e.Message.Contains("http://127.0.0.1:9")));
        Assert.That(await app.Client.GetAsync("/books").StatusAsync(), Is.EqualTo(503));
    }
}
