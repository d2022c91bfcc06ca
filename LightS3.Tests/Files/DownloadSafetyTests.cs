using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LightS3.Endpoints;
using LightS3.Files;
using LightS3.Tests.Support;

namespace LightS3.Tests.Files;

/// <summary>A drop box: one file of any type, with history (so file changes show their actor).</summary>
[History]
public class DropEndpoint : RestEndpoint<DropEndpoint>
{
    public string Title { get; set; } = "";

    [FileField(MaxBytes = 64 * 1024)]
    public StoredFile? Payload { get; set; }
}

/// <summary>
/// Uploads are never active content: a type off the short safe-inline list downloads as an attachment — from the app's
/// own signed URL (with <c>nosniff</c> and a sandboxing CSP besides) and from an S3 presigned URL alike. File changes are
/// the caller's writes (history actor), and stored names lose their bidi and other invisible format characters.
/// </summary>
[TestFixture(TestStore.S3, Category = External.Category)]
[TestFixture(TestStore.File)]
public sealed class DownloadSafetyTests(TestStore store)
{
    private TestApp _app = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _app = await TestApp.StartAsync(store, a => a.Register<DropEndpoint>("/drops"), o =>
    {
        o.Jwt.Secret = Tokens.Secret;
        o.Jwt.Issuer = Tokens.Issuer;
        o.Jwt.Audience = Tokens.Audience;
        o.GarbageCollectionInterval = TimeSpan.Zero;
    }, socket: true);

    [OneTimeTearDown]
    public async Task StopAsync() => await _app.DisposeAsync();

    private async Task<string> NewDropAsync(string path = "/drops") => (await _app.CreateAsync(path, new { title = "t" }))["id"]!.GetValue<string>();

    [TestCase("page.html", "text/html", "<html><script>alert(document.domain)</script></html>", false)]
    [TestCase("logo.svg", "image/svg+xml", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>", false)]
    [TestCase("data.xml", "application/xml", "<a xmlns:h=\"http://www.w3.org/1999/xhtml\"><h:script>alert(1)</h:script></a>", false)]
    [TestCase("app.js", "text/javascript", "alert(1)", false)]
    [TestCase("photo.png", "image/png", "\u0089PNG", true)]
    [TestCase("notes.txt", "text/plain", "<script>alert(1)</script>", true)]
    [TestCase("clip.mp4", "video/mp4", "....ftyp", true)]
    public async Task Only_passive_types_show_inline_every_other_downloads_as_an_attachment(string name, string type, string content, bool inline)
    {
        var id = await NewDropAsync();
        await FileClient.PutFileAsync(_app, $"/drops/{id}/payload", Encoding.UTF8.GetBytes(content), type, name);
        var location = await FileClient.DownloadLocationAsync(_app, $"/drops/{id}/payload");
        var response = await FileClient.Direct.GetAsync(location);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo(type));
        var disposition = response.Content.Headers.ContentDisposition;
        if (inline) Assert.That(disposition?.DispositionType ?? "inline", Is.EqualTo("inline"), $"{type} is passive: shown inline");
        else
        {
            Assert.That(disposition?.DispositionType, Is.EqualTo("attachment"), $"{type} could script: never inline");
            Assert.That(disposition!.FileName?.Trim('"'), Is.EqualTo(name));
        }
        if (store == TestStore.S3) return; // S3 is another origin, and sets no other headers on a presigned GET
        Assert.That(response.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
        Assert.That(response.Headers.GetValues("Content-Security-Policy"), Is.EqualTo(new[] { "sandbox; default-src 'none'" }));
    }

    [Test]
    public async Task Asking_for_a_download_makes_even_an_image_an_attachment()
    {
        var id = await NewDropAsync();
        await FileClient.PutFileAsync(_app, $"/drops/{id}/payload", [1, 2, 3], "image/png", "cat.png");
        var location = await FileClient.DownloadLocationAsync(_app, $"/drops/{id}/payload?download=1");
        var response = await FileClient.Direct.GetAsync(location);
        Assert.That(response.Content.Headers.ContentDisposition?.DispositionType, Is.EqualTo("attachment"));
        Assert.That(response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), Is.EqualTo("cat.png"));
    }

    [Test]
    public async Task Upload_confirm_and_delete_of_a_file_record_the_caller_as_the_history_actor()
    {
        Action<HttpRequestMessage> As(string user) => r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Create(user));
        var created = await _app.SendAsync(HttpMethod.Post, "/drops", new { title = "t" }, As("alice"));
        var id = (await created.JsonAsync())["id"]!.GetValue<string>();
        var grant = await FileClient.GrantAsync(_app, $"/drops/{id}/payload", new { name = "a.txt", content_type = "text/plain", size = 3 }, As("bob"));
        Assert.That((await FileClient.UploadAsync(grant, [1, 2, 3])).IsSuccessStatusCode);
        Assert.That(await FileClient.ConfirmAsync(_app, $"/drops/{id}/payload", As("carol")).StatusAsync(), Is.EqualTo(200));
        Assert.That(await _app.SendAsync(HttpMethod.Delete, $"/drops/{id}/payload", null, As("dave")).StatusAsync(), Is.EqualTo(204));

        var history = await (await _app.Client.GetAsync($"/drops/{id}/_history")).JsonAsync();
        var entries = history["results"]!.AsArray();
        Assert.That(entries.Select(e => e!["version"]!.GetValue<long>()), Is.EqualTo(new long[] { 4, 3, 2, 1 }));
        Assert.That(entries.Select(e => e!["actor"]?.GetValue<string>()), Is.EqualTo(new[] { "dave", "carol", "bob", "alice" }));
    }

    [Test]
    public async Task A_stored_name_loses_bidi_overrides_and_other_invisible_format_characters()
    {
        var id = await NewDropAsync();
        // U+202E makes "photo\u202Egnp.exe" display as "photoexe.png"
        var record = await FileClient.PutFileAsync(_app, $"/drops/{id}/payload", [1], "application/octet-stream", "photo\u202Egnp\u200B.exe");
        Assert.That(record["payload"]!["name"]!.GetValue<string>(), Is.EqualTo("photognp.exe"));
    }
}

/// <summary>File names as stored: what <see cref="FileNames.Sanitize"/> keeps.</summary>
public sealed class FileNameTests
{
    [TestCase("report\u202Efdp.exe", "reportfdp.exe")]            // right-to-left override
    [TestCase("\u2066a\u2067b\u2068c\u2069.txt", "abc.txt")]      // isolates
    [TestCase("\u202Aa\u202Bb\u202Cc\u202D.txt", "abc.txt")]      // embeddings, pop, left-to-right override
    [TestCase("a\u200E\u200F\u061Cb.txt", "ab.txt")]              // marks
    [TestCase("\uFEFFzero\u200Dwidth\u200C.txt", "zerowidth.txt")] // BOM and zero-width (non-)joiners
    [TestCase("Prüfbericht — 2024 (final).pdf", "Prüfbericht — 2024 (final).pdf")]
    [TestCase("\u202E", "fallback")]
    public void Format_characters_are_dropped_and_visible_text_kept(string name, string expected) =>
        Assert.That(FileNames.Sanitize(name, "fallback"), Is.EqualTo(expected));
}

/// <summary>The app's own blob download, which serves byte ranges (the embedded file store).</summary>
public sealed class EmbeddedDownloadRangeTests
{
    [Test]
    public async Task A_range_in_another_unit_than_bytes_is_ignored_and_the_whole_file_served()
    {
        await using var app = await TestApp.StartAsync(TestStore.File, a => a.Register<DropEndpoint>("/drops"), socket: true);
        var id = (await app.CreateAsync("/drops", new { title = "t" }))["id"]!.GetValue<string>();
        var bytes = FileClient.RandomBytes(100);
        await FileClient.PutFileAsync(app, $"/drops/{id}/payload", bytes, "application/octet-stream");
        var location = await FileClient.DownloadLocationAsync(app, $"/drops/{id}/payload");

        async Task<HttpResponseMessage> GetAsync(string range)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, location);
            request.Headers.TryAddWithoutValidation("Range", range);
            return await FileClient.Direct.SendAsync(request);
        }
        var bytesRange = await GetAsync("bytes=0-1");
        Assert.That(bytesRange.StatusCode, Is.EqualTo(HttpStatusCode.PartialContent), "bytes ranges are served");
        Assert.That(await bytesRange.Content.ReadAsByteArrayAsync(), Is.EqualTo(bytes[..2]));
        var items = await GetAsync("items=0-1");
        Assert.That(items.StatusCode, Is.EqualTo(HttpStatusCode.OK), "RFC 9110 §14.2: an unknown range unit is ignored");
        Assert.That(items.Content.Headers.ContentRange, Is.Null);
        Assert.That(await items.Content.ReadAsByteArrayAsync(), Is.EqualTo(bytes));

        using var record = new HttpRequestMessage(HttpMethod.Get, $"/drops/{id}");
        record.Headers.TryAddWithoutValidation("Range", "items=0-1");
        var json = await app.Client.SendAsync(record);
        Assert.That(json.StatusCode, Is.EqualTo(HttpStatusCode.OK), "records and lists answer in full");
        Assert.That(json.Content.Headers.ContentRange, Is.Null);
    }
}
