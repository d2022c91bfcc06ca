using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using LightS3.Auth;
using LightS3.Endpoints;
using LightS3.Files;
using LightS3.Tests.Support;

namespace LightS3.Tests.Files;

/// <summary>An album with a cover image (≤ 64 KiB, PNG or JPEG) and a short-lived attachment of any type.</summary>
public class AlbumEndpoint : RestEndpoint<AlbumEndpoint>
{
    [Field(MinLength = 1)] public string Title { get; set; } = "";

    [FileField(MaxBytes = 64 * 1024, ContentTypes = ["image/png", "image/jpeg"])]
    public StoredFile? Cover { get; set; }

    [FileField(MaxBytes = 1024 * 1024, UploadExpirySeconds = 2)]
    public StoredFile? Attachment { get; set; }
}

/// <summary>Only the owner may change, read or delete an album's files (object-level permission).</summary>
[Authentication(Permission = typeof(IsOwner))]
public class PrivateAlbumEndpoint : RestEndpoint<PrivateAlbumEndpoint>
{
    public string Owner { get; set; } = "";

    [FileField(MaxBytes = 64 * 1024, ContentTypes = ["image/png"])]
    public StoredFile? Cover { get; set; }

    public override Task<Record> CreateAsync(JsonObject input)
    {
        input["owner"] = Context.User.Identity!.Name;
        return base.CreateAsync(input);
    }
}

/// <summary>Drives the client side of the file flow: upload with exactly what a grant says, follow download redirects.</summary>
public static class FileClient
{
    /// <summary>A client that talks to S3 or the app's signed URLs directly, never following redirects on its own.</summary>
    public static readonly HttpClient Direct = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(60) };

    public static byte[] RandomBytes(int n) => RandomNumberGenerator.GetBytes(n);

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Asks for an upload grant; fails the test on anything but 200.</summary>
    public static async Task<JsonObject> GrantAsync(TestApp app, string path, object? body = null, Action<HttpRequestMessage>? adjust = null)
    {
        var response = await app.SendAsync(HttpMethod.Post, path + "/upload", body, adjust);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    /// <summary>Uploads <paramref name="bytes"/> the way <paramref name="grant"/> says (form POST with fields then file, or PUT with headers).</summary>
    public static Task<HttpResponseMessage> UploadAsync(JsonObject grant, byte[] bytes, string? contentType = null, Func<string, string, string>? tamper = null)
    {
        var url = grant["url"]!.GetValue<string>();
        var fields = grant["fields"]!.AsObject().ToDictionary(f => f.Key, f => f.Value!.GetValue<string>());
        var headers = grant["headers"]!.AsObject().ToDictionary(h => h.Key, h => h.Value!.GetValue<string>());
        if (tamper is not null)
        {
            foreach (var k in fields.Keys.ToList()) fields[k] = tamper(k, fields[k]);
            url = tamper("url", url);
        }
        if (grant["method"]!.GetValue<string>() == "POST")
        {
            var form = new MultipartFormDataContent();
            foreach (var (name, value) in fields) form.Add(new StringContent(name == "Content-Type" && contentType is not null ? contentType : value), name);
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? fields.GetValueOrDefault("Content-Type") ?? "application/octet-stream");
            form.Add(file, "file", "upload.bin");
            return Direct.PostAsync(url, form);
        }
        var put = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(bytes) };
        foreach (var (name, value) in headers)
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) put.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? value);
            else put.Headers.TryAddWithoutValidation(name, value);
        return Direct.SendAsync(put);
    }

    /// <summary>Confirms; returns the response.</summary>
    public static Task<HttpResponseMessage> ConfirmAsync(TestApp app, string path, Action<HttpRequestMessage>? adjust = null) =>
        app.SendAsync(HttpMethod.Post, path + "/confirm", null, adjust);

    /// <summary>Grant, upload (must succeed), confirm (must be 200); returns the confirmed record.</summary>
    public static async Task<JsonObject> PutFileAsync(TestApp app, string path, byte[] bytes, string contentType, string name = "file.bin")
    {
        var grant = await GrantAsync(app, path, new { name, content_type = contentType, size = bytes.Length });
        var upload = await UploadAsync(grant, bytes);
        Assert.That(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync());
        var confirm = await ConfirmAsync(app, path);
        Assert.That((int)confirm.StatusCode, Is.EqualTo(200), await confirm.Content.ReadAsStringAsync());
        return await confirm.JsonAsync();
    }

    /// <summary>GET of the download route (redirects not followed): must be a 307; returns its Location.</summary>
    public static async Task<Uri> DownloadLocationAsync(TestApp app, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(app.Client.BaseAddress!, path));
        var response = await Direct.SendAsync(request);
        Assert.That((int)response.StatusCode, Is.EqualTo(307), await response.Content.ReadAsStringAsync());
        return response.Headers.Location!;
    }

    /// <summary>The keys of every blob of a collection.</summary>
    public static async Task<List<string>> BlobKeysAsync(TestApp app, string collection)
    {
        var keys = new List<string>();
        await foreach (var e in LightS3.Storage.ObjectListings.EnumerateAsync(app.ObjectStore, $"{collection}/files/")) keys.Add(e.Key);
        return keys;
    }
}
