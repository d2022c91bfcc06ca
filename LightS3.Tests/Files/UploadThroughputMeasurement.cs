using System.Diagnostics;
using LightS3.Storage;
using LightS3.Tests.Support;

namespace LightS3.Tests.Files;

/// <summary>
/// A 50 MB file goes through the whole flow on RGW (presigned POST) and the embedded store (signed PUT); the timings,
/// beside the SDK's own PUT from the app, are printed for docs/files.md (no timing is asserted).
/// </summary>
[Category(External.Category)]
public sealed class UploadThroughputMeasurement
{
    [Test]
    public async Task A_fifty_megabyte_file_uploads_and_confirms_with_its_size_on_rgw_and_the_embedded_store()
    {
        var bytes = FileClient.RandomBytes(50 * 1024 * 1024);
        var lines = new List<string>();
        using (var direct = new S3ObjectStore(S3TestServer.Options(S3TestServer.NewPrefix("throughput")), new RequestCounter()))
        {
            await direct.PutAsync("warmup", bytes.AsMemory(0, 1024), WriteCondition.None);
            var clock = Stopwatch.StartNew();
            await direct.PutAsync("direct.bin", bytes, WriteCondition.None);
            lines.Add($"RGW SDK PutObject 50 MB: {clock.Elapsed.TotalSeconds:0.00} s, {50 / clock.Elapsed.TotalSeconds:0} MB/s");
        }
        foreach (var store in new[] { TestStore.S3, TestStore.File })
        {
            await using var app = await TestApp.StartAsync(store, a => a.Register<BigFileEndpoint>("/big"), socket: true);
            var id = (await app.CreateAsync("/big", new { }))["id"]!.GetValue<string>();
            var grant = await FileClient.GrantAsync(app, $"/big/{id}/data", new { content_type = "application/octet-stream", size = bytes.Length });
            var clock = Stopwatch.StartNew();
            var upload = await FileClient.UploadAsync(grant, bytes);
            var elapsed = clock.Elapsed;
            Assert.That(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync());
            var confirmed = await FileClient.ConfirmAsync(app, $"/big/{id}/data");
            Assert.That(confirmed.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK), await confirmed.Content.ReadAsStringAsync());
            Assert.That((await confirmed.JsonAsync())["data"]!["size"]!.GetValue<long>(), Is.EqualTo(bytes.Length));
            lines.Add($"{(store == TestStore.S3 ? "RGW presigned POST" : "embedded signed PUT")} 50 MB: {elapsed.TotalSeconds:0.00} s, {50 / elapsed.TotalSeconds:0} MB/s");
        }
        foreach (var line in lines) TestContext.Out.WriteLine(line);
    }
}

/// <summary>One large file field.</summary>
public class BigFileEndpoint : RestEndpoint<BigFileEndpoint>
{
    [LightS3.FileField(MaxBytes = 64L * 1024 * 1024)] public StoredFile? Data { get; set; }
}
