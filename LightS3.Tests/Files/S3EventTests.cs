using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using LightS3.Storage;
using LightS3.Tests.Support;

namespace LightS3.Tests.Files;

/// <summary>
/// Storage events confirm uploads: Ceph RGW's bucket notifications pushing to <c>POST /_lights3/s3-events</c>, and
/// recorded AWS S3 event payloads (plain and SNS-wrapped) on any store.
/// </summary>
public sealed class S3EventTests
{
    private const string Token = "event-token-0123456789";

    private static Task<TestApp> StartAsync(TestStore store, string? location = null, Action<LightS3Options>? configure = null) =>
        TestApp.StartAsync(store, a => a.Register<AlbumEndpoint>("/albums"), o =>
        {
            o.Files.EventToken = Token;
            configure?.Invoke(o);
        }, location, socket: true);

    /// <summary>The AWS S3 event shape (as recorded from RGW, which sends the same schema as AWS).</summary>
    private static JsonObject S3Event(string bucket, string key, long size) => JsonNode.Parse($$$"""
        {"Records":[{"eventVersion":"2.2","eventSource":"aws:s3","awsRegion":"us-east-1","eventTime":"2026-11-26T13:56:01.200Z",
          "eventName":"ObjectCreated:Post","userIdentity":{"principalId":"tester"},"requestParameters":{"sourceIPAddress":""},
          "s3":{"s3SchemaVersion":"1.0","configurationId":"lights3","bucket":{"name":"{{{bucket}}}","arn":"arn:aws:s3:::{{{bucket}}}"},
          "object":{"key":"{{{Uri.EscapeDataString(key).Replace("%2F", "/")}}}","size":{{{size}}},"eTag":"x","sequencer":"1"} } } ] }
        """)!.AsObject();

    private static async Task<(string Id, string BucketKey)> PendingUploadAsync(TestApp app, byte[] bytes)
    {
        var id = (await app.CreateAsync("/albums", new { title = "t" }))["id"]!.GetValue<string>();
        var grant = await FileClient.GrantAsync(app, $"/albums/{id}/cover", new { content_type = "image/png" });
        Assert.That((await FileClient.UploadAsync(grant, bytes)).IsSuccessStatusCode);
        var key = grant["fields"]!["key"]?.GetValue<string>() ?? System.Web.HttpUtility.ParseQueryString(new Uri(grant["url"]!.GetValue<string>()).Query)["k"]!;
        return (id, key);
    }

    private static async Task<string?> StatusAsync(TestApp app, string id) =>
        (await (await app.Client.GetAsync($"/albums/{id}")).JsonAsync())["cover"]?["status"]?.GetValue<string>();

    [TestCase(TestStore.S3, Category = External.Category)]
    [TestCase(TestStore.File)]
    public async Task A_recorded_s3_event_marks_a_pending_upload_ready(TestStore store)
    {
        await using var app = await StartAsync(store);
        var bytes = FileClient.RandomBytes(123);
        var (id, key) = await PendingUploadAsync(app, bytes);
        var bucket = store == TestStore.S3 ? S3TestServer.Bucket : "any";
        Assert.That(await StatusAsync(app, id), Is.EqualTo("pending"));

        var wrongToken = await app.PostAsync($"/_lights3/s3-events?token=nope", S3Event(bucket, key, bytes.Length));
        Assert.That((int)wrongToken.StatusCode, Is.EqualTo(401));
        Assert.That(await StatusAsync(app, id), Is.EqualTo("pending"));

        var response = await app.SendAsync(HttpMethod.Post, "/_lights3/s3-events", S3Event(bucket, key, bytes.Length), r => r.Headers.Add("X-LightS3-Event-Token", Token));
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        Assert.That((await response.JsonAsync())["confirmed"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(await StatusAsync(app, id), Is.EqualTo("ready"));
        Assert.That(await app.Client.GetByteArrayAsync($"/albums/{id}/cover"), Is.EqualTo(bytes));

        var replay = await app.PostAsync($"/_lights3/s3-events?token={Token}", S3Event(bucket, key, bytes.Length));
        Assert.That((await replay.JsonAsync())["ignored"]!.GetValue<int>(), Is.EqualTo(1), "a repeated event changes nothing");
        Assert.That((await (await app.Client.GetAsync($"/albums/{id}")).JsonAsync())["version"]!.GetValue<long>(), Is.EqualTo(3));
    }

    [Test]
    public async Task Events_for_unknown_keys_other_buckets_and_non_create_events_are_ignored_and_garbage_is_a_400()
    {
        await using var app = await StartAsync(TestStore.Memory);
        var (id, key) = await PendingUploadAsync(app, FileClient.RandomBytes(10));
        var removed = S3Event("b", key, 10);
        removed["Records"]![0]!["eventName"] = "ObjectRemoved:Delete";
        var forged = S3Event("b", key.Replace(key[^32..], new string('a', 32)), 10);
        var unrelated = S3Event("b", "albums/records/x.json", 10);
        foreach (var body in new[] { removed, forged, unrelated })
        {
            var response = await app.PostAsync($"/_lights3/s3-events?token={Token}", body);
            Assert.That((await response.JsonAsync())["confirmed"]!.GetValue<int>(), Is.Zero, body.ToJsonString());
        }
        Assert.That(await StatusAsync(app, id), Is.EqualTo("pending"));
        var garbage = await app.Client.PostAsync($"/_lights3/s3-events?token={Token}", new StringContent("{\"Records\": [1"));
        Assert.That((int)garbage.StatusCode, Is.EqualTo(400));
        Assert.That((string?)(await garbage.JsonAsync())["detail"], Does.StartWith("malformed JSON at line 1, column"));
        var mistyped = await app.PostAsync($"/_lights3/s3-events?token={Token}", new JsonObject { ["Type"] = 1 });
        Assert.That((int)mistyped.StatusCode, Is.EqualTo(400));
        Assert.That((string?)(await mistyped.JsonAsync())["detail"], Is.EqualTo(
            "not an S3 event: Type, Message, eventName, detail-type, bucket names and object keys must be strings"), "no .NET conversion message");
        var sns = new JsonObject { ["Type"] = "Notification", ["Message"] = S3Event("b", key, 10).ToJsonString() };
        Assert.That((await (await app.PostAsync($"/_lights3/s3-events?token={Token}", sns)).JsonAsync())["confirmed"]!.GetValue<int>(), Is.EqualTo(1),
            "an SNS-wrapped event (S3 → SNS → HTTPS subscription) works too");
    }

    [Test]
    public async Task Without_an_event_token_configured_the_endpoint_is_404()
    {
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<AlbumEndpoint>("/albums"), socket: true);
        Assert.That(await app.PostAsync("/_lights3/s3-events", new { Records = Array.Empty<object>() }).StatusAsync(), Is.EqualTo(404));
    }

    /// <summary>
    /// RGW pushes a bucket notification to the app: a topic with an HTTP push endpoint (SNS-compatible CreateTopic) and a
    /// bucket notification configuration on a bucket of the test's own, so other tests' buckets are untouched.
    /// </summary>
    [Test, Category(External.Category)]
    public async Task Rgw_bucket_notifications_pushed_to_the_app_mark_an_upload_ready_without_a_confirm_call()
    {
        var bucket = $"lights3-events-{Guid.NewGuid():N}"[..40];
        var options = S3TestServer.Options("events");
        options.Bucket = bucket;
        using (var admin = new S3ObjectStore(options, new RequestCounter())) await admin.EnsureBucketAsync();
        await using var app = await StartAsync(TestStore.S3, "events", o => o.S3.Bucket = bucket);
        var topic = $"lights3-{Guid.NewGuid():N}";
        var push = $"{app.Client.BaseAddress}_lights3/s3-events?token={Token}";
        try
        {
            var created = await SignedCurlAsync("sns", "POST", S3TestServer.Endpoint + "/",
                $"Action=CreateTopic&Name={topic}&Attributes.entry.1.key=push-endpoint&Attributes.entry.1.value={Uri.EscapeDataString(push)}");
            Assert.That(created, Does.Contain("TopicArn"), created);
            var arn = created.Split("<TopicArn>")[1].Split("</TopicArn>")[0];
            var configured = await SignedCurlAsync("s3", "PUT", $"{S3TestServer.Endpoint}/{bucket}?notification=",
                $"<NotificationConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TopicConfiguration><Id>lights3</Id><Topic>{arn}</Topic><Event>s3:ObjectCreated:*</Event></TopicConfiguration></NotificationConfiguration>");
            Assert.That(configured, Does.Not.Contain("<Error>"), configured);

            var bytes = FileClient.RandomBytes(2048);
            var (id, _) = await PendingUploadAsync(app, bytes);
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (await StatusAsync(app, id) != "ready" && DateTime.UtcNow < deadline) await Task.Delay(100);
            Assert.That(await StatusAsync(app, id), Is.EqualTo("ready"), "RGW's push confirmed the upload");
            Assert.That(await app.Client.GetByteArrayAsync($"/albums/{id}/cover"), Is.EqualTo(bytes));
        }
        finally
        {
            await SignedCurlAsync("s3", "DELETE", $"{S3TestServer.Endpoint}/{bucket}?notification=", null);
            await SignedCurlAsync("sns", "POST", S3TestServer.Endpoint + "/", $"Action=DeleteTopic&TopicArn={Uri.EscapeDataString($"arn:aws:sns:default::{topic}")}");
        }
    }

    /// <summary>A SigV4-signed request with curl (RGW's topic API has no client in the AWS SDK packages this project uses).</summary>
    private static async Task<string> SignedCurlAsync(string service, string method, string url, string? body)
    {
        var start = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        string access = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID")!, secret = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY")!;
        foreach (var arg in new[] { "-s", "-m", "10", "--aws-sigv4", $"aws:amz:us-east-1:{service}", "--user", $"{access}:{secret}", "-X", method, url })
            start.ArgumentList.Add(arg);
        if (body is not null)
        {
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(body)));
            foreach (var arg in service == "s3" ? new[] { "-H", $"x-amz-content-sha256: {hash}", "--data-binary", body } : ["-H", "Content-Type: application/x-www-form-urlencoded", "--data-binary", body])
                start.ArgumentList.Add(arg);
        }
        else if (service == "s3") foreach (var arg in new[] { "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD" }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }
}
