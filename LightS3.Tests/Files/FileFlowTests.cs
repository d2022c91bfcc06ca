using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LightS3.Hosting;
using LightS3.Storage;
using LightS3.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Tests.Files;

/// <summary>
/// The file flow end to end, on RGW with real presigned POST policies and GETs, and on the embedded file store with the
/// app's signed URLs: upload → confirm → download, the limits the store itself enforces, and the record staying consistent.
/// </summary>
[TestFixture(TestStore.S3, Category = External.Category)]
[TestFixture(TestStore.File)]
public sealed class FileFlowTests(TestStore store)
{
    private TestApp _app = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _app = await TestApp.StartAsync(store, a => a.Register<AlbumEndpoint>("/albums"), o =>
    {
        o.StoreRequestHeader = true;
        o.GarbageCollectionInterval = TimeSpan.Zero;
    }, socket: true);

    [OneTimeTearDown]
    public async Task StopAsync() => await _app.DisposeAsync();

    private async Task<string> NewAlbumAsync() => (await _app.CreateAsync("/albums", new { title = "t" }))["id"]!.GetValue<string>();

    [Test]
    public async Task An_upload_confirmed_downloads_the_same_bytes_and_moves_the_records_version_and_etag()
    {
        var id = await NewAlbumAsync();
        var before = await _app.Client.GetAsync($"/albums/{id}");
        var bytes = FileClient.RandomBytes(40_000);

        var grant = await FileClient.GrantAsync(_app, $"/albums/{id}/cover", new { name = "../../etc/cover \"x\".png", content_type = "image/png", size = bytes.Length });
        Assert.That(grant["method"]!.GetValue<string>(), Is.EqualTo(store == TestStore.S3 ? "POST" : "PUT"));
        Assert.That(grant["expires_at"]!.GetValue<string>(), Does.EndWith("Z"));
        var pending = await (await _app.Client.GetAsync($"/albums/{id}")).JsonAsync();
        Assert.That(pending["cover"]!["status"]!.GetValue<string>(), Is.EqualTo("pending"));
        Assert.That(pending["cover"]!.AsObject().Select(p => p.Key), Is.EquivalentTo(new[] { "name", "size", "content_type", "etag", "status", "uploaded_at" }),
            "bookkeeping never shows");

        var upload = await FileClient.UploadAsync(grant, bytes);
        Assert.That(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync());
        var confirm = await FileClient.ConfirmAsync(_app, $"/albums/{id}/cover");
        Assert.That((int)confirm.StatusCode, Is.EqualTo(200), await confirm.Content.ReadAsStringAsync());
        var record = await confirm.JsonAsync();
        var cover = record["cover"]!.AsObject();
        Assert.That(cover["status"]!.GetValue<string>(), Is.EqualTo("ready"));
        Assert.That(cover["size"]!.GetValue<long>(), Is.EqualTo(bytes.Length));
        Assert.That(cover["content_type"]!.GetValue<string>(), Is.EqualTo("image/png"));
        Assert.That(cover["name"]!.GetValue<string>(), Is.EqualTo("cover x.png"), "path and quotes stripped");
        Assert.That(cover["etag"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(cover["uploaded_at"]!.GetValue<string>(), Does.EndWith("Z"));
        Assert.That(record["version"]!.GetValue<long>(), Is.EqualTo(3), "created 1, upload 2, confirm 3");
        Assert.That(confirm.Headers.ETag, Is.Not.EqualTo(before.Headers.ETag));

        var location = await FileClient.DownloadLocationAsync(_app, $"/albums/{id}/cover");
        if (store == TestStore.S3) Assert.That(location.GetLeftPart(UriPartial.Authority), Is.EqualTo(new Uri(S3TestServer.Endpoint).GetLeftPart(UriPartial.Authority)), "S3 serves the bytes");
        var downloaded = await FileClient.Direct.GetAsync(location);
        Assert.That(downloaded.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(downloaded.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));
        Assert.That(FileClient.Sha256(await downloaded.Content.ReadAsByteArrayAsync()), Is.EqualTo(FileClient.Sha256(bytes)));

        var range = new HttpRequestMessage(HttpMethod.Get, location);
        range.Headers.Range = new RangeHeaderValue(100, 1099);
        var partial = await FileClient.Direct.SendAsync(range);
        Assert.That(partial.StatusCode, Is.EqualTo(HttpStatusCode.PartialContent));
        Assert.That(await partial.Content.ReadAsByteArrayAsync(), Is.EqualTo(bytes[100..1100]));

        Assert.That(await _app.Client.GetByteArrayAsync($"/albums/{id}/cover"), Is.EqualTo(bytes), "a client that follows the 307 gets the file");
    }

    [Test]
    public async Task Download_1_asks_for_an_attachment_with_the_sanitized_name()
    {
        var id = await NewAlbumAsync();
        await FileClient.PutFileAsync(_app, $"/albums/{id}/cover", FileClient.RandomBytes(100), "image/jpeg", "Fotó 1.jpg");
        var location = await FileClient.DownloadLocationAsync(_app, $"/albums/{id}/cover?download=1");
        var response = await FileClient.Direct.GetAsync(location);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var disposition = response.Content.Headers.ContentDisposition;
        Assert.That(disposition?.DispositionType, Is.EqualTo("attachment"));
        Assert.That(disposition?.FileNameStar ?? disposition?.FileName?.Trim('"'), Is.EqualTo("Fotó 1.jpg"));
        var inline = await FileClient.Direct.GetAsync(await FileClient.DownloadLocationAsync(_app, $"/albums/{id}/cover"));
        Assert.That(inline.Content.Headers.ContentDisposition, Is.Null, "without download=1 the browser may show it inline");
    }

    [Test]
    public async Task A_field_without_a_ready_file_answers_404_on_download()
    {
        var id = await NewAlbumAsync();
        Assert.That(await _app.Client.GetAsync($"/albums/{id}/cover").StatusAsync(), Is.EqualTo(404));
        await FileClient.GrantAsync(_app, $"/albums/{id}/cover", new { content_type = "image/png" });
        Assert.That(await _app.Client.GetAsync($"/albums/{id}/cover").StatusAsync(), Is.EqualTo(404), "pending is not ready");
        Assert.That(await _app.Client.GetAsync($"/albums/{RecordIdsForTests.Missing}/cover").StatusAsync(), Is.EqualTo(404));
    }

    [Test]
    public async Task A_file_over_the_limit_is_rejected_by_the_store_itself_and_the_field_stays_as_it_was()
    {
        var id = await NewAlbumAsync();
        var first = FileClient.RandomBytes(1000);
        await FileClient.PutFileAsync(_app, $"/albums/{id}/cover", first, "image/png");
        // no declared size: the policy allows up to the field's 64 KiB
        var grant = await FileClient.GrantAsync(_app, $"/albums/{id}/cover", new { content_type = "image/png" });
        var upload = await FileClient.UploadAsync(grant, FileClient.RandomBytes(64 * 1024 + 1));
        Assert.That(upload.IsSuccessStatusCode, Is.False);
        Assert.That((int)upload.StatusCode, Is.EqualTo(store == TestStore.S3 ? 400 : 413), await upload.Content.ReadAsStringAsync());
        if (store == TestStore.S3) Assert.That(await upload.Content.ReadAsStringAsync(), Does.Contain("EntityTooLarge"));
        Assert.That(await FileClient.ConfirmAsync(_app, $"/albums/{id}/cover").StatusAsync(), Is.EqualTo(409), "nothing to confirm");
        var record = await (await _app.Client.GetAsync($"/albums/{id}")).JsonAsync();
        Assert.That(record["cover"]!["status"]!.GetValue<string>(), Is.EqualTo("ready"));
        Assert.That(record["cover"]!["size"]!.GetValue<long>(), Is.EqualTo(1000), "the old file is still the field's");
        Assert.That(await _app.Client.GetByteArrayAsync($"/albums/{id}/cover"), Is.EqualTo(first));

        var declared = await _app.SendAsync(HttpMethod.Post, $"/albums/{id}/cover/upload", new { content_type = "image/png", size = 64 * 1024 + 1 });
        Assert.That((int)declared.StatusCode, Is.EqualTo(422), "a declared size over the limit is refused before any URL is signed");
        Assert.That((await declared.JsonAsync())["errors"]!["size"], Is.Not.Null);

        // a declared size is exact: the store refuses a different size too
        var exact = await FileClient.GrantAsync(_app, $"/albums/{id}/cover", new { content_type = "image/png", size = 500 });
        Assert.That((await FileClient.UploadAsync(exact, FileClient.RandomBytes(501))).IsSuccessStatusCode, Is.False);
    }

    [Test]
    public async Task A_wrong_content_type_is_refused_when_asked_and_when_uploaded()
    {
        var id = await NewAlbumAsync();
        var asked = await _app.SendAsync(HttpMethod.Post, $"/albums/{id}/cover/upload", new { content_type = "text/html" });
        Assert.That((int)asked.StatusCode, Is.EqualTo(422));
        Assert.That((await asked.JsonAsync())["errors"]!["content_type"]![0]!.GetValue<string>(), Does.Contain("image/png"));

        var grant = await FileClient.GrantAsync(_app, $"/albums/{id}/cover", new { content_type = "image/png" });
        var upload = await FileClient.UploadAsync(grant, FileClient.RandomBytes(100), contentType: "text/html");
        Assert.That(upload.IsSuccessStatusCode, Is.False);
        Assert.That((int)upload.StatusCode, Is.EqualTo(store == TestStore.S3 ? 403 : 415), await upload.Content.ReadAsStringAsync());
        Assert.That(await FileClient.ConfirmAsync(_app, $"/albums/{id}/cover").StatusAsync(), Is.EqualTo(409));
    }

    [Test]
    public async Task An_expired_upload_url_is_refused()
    {
        var id = await NewAlbumAsync();
        var grant = await FileClient.GrantAsync(_app, $"/albums/{id}/attachment"); // attachment URLs live 2 s
        await Task.Delay(TimeSpan.FromSeconds(3.2));
        var upload = await FileClient.UploadAsync(grant, FileClient.RandomBytes(100));
        Assert.That((int)upload.StatusCode, Is.EqualTo(403), await upload.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task A_tampered_signature_or_key_is_refused()
    {
        var id = await NewAlbumAsync();
        var grant = await FileClient.GrantAsync(_app, $"/albums/{id}/cover", new { content_type = "image/png" });
        static string Flip(string s) => s[..^1] + (s[^1] == 'A' ? 'B' : 'A');
        var badSignature = await FileClient.UploadAsync(grant, FileClient.RandomBytes(10), tamper: (name, value) =>
            name is "x-amz-signature" ? Flip(value) : name == "url" && value.Contains("sig=") ? value.Replace("sig=", "sig=A") : value);
        Assert.That((int)badSignature.StatusCode, Is.EqualTo(403), await badSignature.Content.ReadAsStringAsync());
        // the key is signed too: the URL cannot be pointed at another object
        var otherKey = await FileClient.UploadAsync(grant, FileClient.RandomBytes(10), tamper: (name, value) =>
            name == "key" ? value + "x" : name == "url" && value.Contains("k=") ? value.Replace("k=", "k=x") : value);
        Assert.That((int)otherKey.StatusCode, Is.EqualTo(403), await otherKey.Content.ReadAsStringAsync());
        // downloads too
        await FileClient.PutFileAsync(_app, $"/albums/{id}/cover", FileClient.RandomBytes(10), "image/png");
        var location = (await FileClient.DownloadLocationAsync(_app, $"/albums/{id}/cover")).ToString();
        var tampered = location.Contains("X-Amz-Signature=") ? location.Replace("X-Amz-Signature=", "X-Amz-Signature=0") : location.Replace("sig=", "sig=A");
        Assert.That((int)(await FileClient.Direct.GetAsync(tampered)).StatusCode, Is.EqualTo(403));
    }

    [Test]
    public async Task File_fields_are_read_only_in_bodies_and_survive_put_and_patch()
    {
        var id = await NewAlbumAsync();
        var bytes = FileClient.RandomBytes(321);
        var record = await FileClient.PutFileAsync(_app, $"/albums/{id}/cover", bytes, "image/png");
        var forged = new JsonObject { ["title"] = "new", ["version"] = record["version"]!.GetValue<long>(), ["cover"] = new JsonObject { ["name"] = "x", ["status"] = "ready", ["size"] = 1 } };
        var put = await _app.SendAsync(HttpMethod.Put, $"/albums/{id}", forged);
        Assert.That((int)put.StatusCode, Is.EqualTo(200), await put.Content.ReadAsStringAsync());
        var patched = await _app.SendAsync(HttpMethod.Patch, $"/albums/{id}", new { title = "newer", version = record["version"]!.GetValue<long>() + 1, cover = (object?)null });
        Assert.That((int)patched.StatusCode, Is.EqualTo(200), await patched.Content.ReadAsStringAsync());
        var after = await patched.JsonAsync();
        Assert.That(after["title"]!.GetValue<string>(), Is.EqualTo("newer"));
        Assert.That(after["cover"]!["size"]!.GetValue<long>(), Is.EqualTo(321), "the file is untouched");
        Assert.That(await _app.Client.GetByteArrayAsync($"/albums/{id}/cover"), Is.EqualTo(bytes));
        var list = await (await _app.Client.GetAsync("/albums")).JsonAsync();
        var listed = list["results"]!.AsArray().Single(r => r!["id"]!.GetValue<string>() == id)!;
        Assert.That(listed["cover"]!.AsObject().Select(p => p.Key), Does.Not.Contain("_blob"), "lists hide the bookkeeping too");
    }

    [Test]
    public async Task A_stale_etag_after_a_file_change_is_a_409_on_update()
    {
        var id = await NewAlbumAsync();
        var read = await _app.Client.GetAsync($"/albums/{id}");
        var etag = read.Headers.ETag!.Tag;
        await FileClient.PutFileAsync(_app, $"/albums/{id}/cover", FileClient.RandomBytes(10), "image/png");
        var stale = await _app.SendAsync(HttpMethod.Put, $"/albums/{id}", new { title = "x" }, r => r.Headers.TryAddWithoutValidation("If-Match", etag));
        Assert.That((int)stale.StatusCode, Is.EqualTo(409));
        var staleVersion = await _app.SendAsync(HttpMethod.Patch, $"/albums/{id}", new { title = "x", version = 1 });
        Assert.That((int)staleVersion.StatusCode, Is.EqualTo(409));
        var staleFileWrite = await _app.SendAsync(HttpMethod.Delete, $"/albums/{id}/cover", null, r => r.Headers.TryAddWithoutValidation("If-Match", etag));
        Assert.That((int)staleFileWrite.StatusCode, Is.EqualTo(409), "file writes honour If-Match too");
    }

    [Test]
    public async Task Deleting_a_file_empties_the_field_and_moves_the_etag()
    {
        var id = await NewAlbumAsync();
        var record = await FileClient.PutFileAsync(_app, $"/albums/{id}/cover", FileClient.RandomBytes(10), "image/png");
        var deleted = await _app.SendAsync(HttpMethod.Delete, $"/albums/{id}/cover");
        Assert.That((int)deleted.StatusCode, Is.EqualTo(204));
        var after = await _app.Client.GetAsync($"/albums/{id}");
        var json = await after.JsonAsync();
        Assert.That(json["cover"], Is.Null);
        Assert.That(json["version"]!.GetValue<long>(), Is.EqualTo(record["version"]!.GetValue<long>() + 1));
        Assert.That(after.Headers.ETag, Is.EqualTo(deleted.Headers.ETag));
        Assert.That(await _app.Client.GetAsync($"/albums/{id}/cover").StatusAsync(), Is.EqualTo(404));
        Assert.That(await _app.SendAsync(HttpMethod.Delete, $"/albums/{id}/cover").StatusAsync(), Is.EqualTo(404), "nothing left to delete");
    }

    [Test]
    public async Task Confirming_twice_answers_the_ready_record_and_an_upload_request_with_unknown_keys_is_422()
    {
        var id = await NewAlbumAsync();
        var record = await FileClient.PutFileAsync(_app, $"/albums/{id}/cover", FileClient.RandomBytes(10), "image/png");
        var again = await FileClient.ConfirmAsync(_app, $"/albums/{id}/cover");
        Assert.That((int)again.StatusCode, Is.EqualTo(200));
        Assert.That((await again.JsonAsync())["version"]!.GetValue<long>(), Is.EqualTo(record["version"]!.GetValue<long>()), "no write");
        var bad = await _app.SendAsync(HttpMethod.Post, $"/albums/{id}/cover/upload", new { content_type = "image/png", path = "/etc" });
        Assert.That((int)bad.StatusCode, Is.EqualTo(422));
        var badJson = await _app.Client.PostAsync($"/albums/{id}/cover/upload", new StringContent("{", System.Text.Encoding.UTF8, "application/json"));
        Assert.That((int)badJson.StatusCode, Is.EqualTo(400));
    }

    [Test]
    public async Task Store_requests_per_step_are_upload_2_confirm_3_download_1_and_no_file_byte_passes_through_the_app_on_s3()
    {
        var id = await NewAlbumAsync();
        var bytes = FileClient.RandomBytes(5000);
        var grantResponse = await _app.SendAsync(HttpMethod.Post, $"/albums/{id}/cover/upload", new { content_type = "image/png" });
        Assert.That(Requests(grantResponse), Is.EqualTo(2), "GET + conditional PUT of the record; signing is local");
        var grant = await grantResponse.JsonAsync();
        var before = _app.Counter.Snapshot();
        Assert.That((await FileClient.UploadAsync(grant, bytes)).IsSuccessStatusCode);
        var uploadThroughApp = _app.Counter.Snapshot().Minus(before).Total;
        var confirm = await FileClient.ConfirmAsync(_app, $"/albums/{id}/cover");
        Assert.That(Requests(confirm), Is.EqualTo(3), "GET + HEAD (S3) or one-key LIST (embedded) + conditional PUT");
        using var download = new HttpRequestMessage(HttpMethod.Get, new Uri(_app.Client.BaseAddress!, $"/albums/{id}/cover"));
        var redirect = await FileClient.Direct.SendAsync(download);
        Assert.That(Requests(redirect), Is.EqualTo(1), "GET of the record; signing is local");
        if (store == TestStore.S3)
        {
            Assert.That(uploadThroughApp, Is.Zero, "the upload went to S3, not through the app");
            Assert.That(new Uri(grant["url"]!.GetValue<string>()).Port, Is.EqualTo(new Uri(S3TestServer.Endpoint).Port));
            Assert.That(redirect.Headers.Location!.Port, Is.EqualTo(new Uri(S3TestServer.Endpoint).Port));
        }
        else Assert.That(uploadThroughApp, Is.EqualTo(1), "the app stores the bytes with one PUT");
        TestContext.Out.WriteLine($"{store}: upload request 2, client upload through the app {uploadThroughApp}, confirm 3, download 1");
    }

    private static long Requests(HttpResponseMessage response) => long.Parse(response.Headers.GetValues(StoreRequestMetrics.Header).Single());
}

internal static class RecordIdsForTests
{
    public const string Missing = "0190f0f0-0000-7000-8000-000000000000";
}
