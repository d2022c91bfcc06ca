using System.Net.Http.Headers;
using LightS3.Tests.Support;

namespace LightS3.Tests.Files;

/// <summary>The four file routes ask the record's own permissions: update for upload/confirm/delete, retrieve for download.</summary>
[TestFixture(TestStore.S3, Category = External.Category)]
[TestFixture(TestStore.File)]
public sealed class FilePermissionTests(TestStore store)
{
    private TestApp _app = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _app = await TestApp.StartAsync(store, a => a.Register<PrivateAlbumEndpoint>("/private-albums"), o =>
    {
        o.Jwt.Secret = Tokens.Secret;
        o.Jwt.Issuer = Tokens.Issuer;
        o.Jwt.Audience = Tokens.Audience;
    }, socket: true);

    [OneTimeTearDown]
    public async Task StopAsync() => await _app.DisposeAsync();

    private static Action<HttpRequestMessage> As(string user) => r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Create(user));

    private static readonly (HttpMethod Method, string Suffix)[] Routes =
        [(HttpMethod.Post, "/cover/upload"), (HttpMethod.Post, "/cover/confirm"), (HttpMethod.Get, "/cover"), (HttpMethod.Delete, "/cover")];

    [Test]
    public async Task Anonymous_callers_get_401_and_other_users_403_on_upload_confirm_download_and_delete()
    {
        var created = await _app.SendAsync(HttpMethod.Post, "/private-albums", new { }, As("alice"));
        Assert.That((int)created.StatusCode, Is.EqualTo(201), await created.Content.ReadAsStringAsync());
        var id = (await created.JsonAsync())["id"]!.GetValue<string>();
        var path = $"/private-albums/{id}";
        // alice has a ready file, so every route would succeed for her
        var grant = await FileClient.GrantAsync(_app, path + "/cover", new { content_type = "image/png" }, As("alice"));
        Assert.That((await FileClient.UploadAsync(grant, FileClient.RandomBytes(10))).IsSuccessStatusCode);
        Assert.That(await FileClient.ConfirmAsync(_app, path + "/cover", As("alice")).StatusAsync(), Is.EqualTo(200));

        foreach (var (method, suffix) in Routes)
        {
            var anonymous = await _app.SendAsync(method, path + suffix);
            Assert.That((int)anonymous.StatusCode, Is.EqualTo(401), $"{method} {suffix} anonymous");
            Assert.That(anonymous.Headers.WwwAuthenticate.ToString(), Does.Contain("Bearer"));
            Assert.That(await _app.SendAsync(method, path + suffix, null, As("mallory")).StatusAsync(), Is.EqualTo(403), $"{method} {suffix} other user");
        }
        var record = await (await _app.SendAsync(HttpMethod.Get, path, null, As("alice"))).JsonAsync();
        Assert.That(record["version"]!.GetValue<long>(), Is.EqualTo(3), "no refused call wrote anything");
        using var download = new HttpRequestMessage(HttpMethod.Get, new Uri(_app.Client.BaseAddress!, path + "/cover"));
        As("alice")(download);
        Assert.That((int)(await FileClient.Direct.SendAsync(download)).StatusCode, Is.EqualTo(307), "the owner may download");
        Assert.That(await _app.SendAsync(HttpMethod.Delete, path + "/cover", null, As("alice")).StatusAsync(), Is.EqualTo(204), "the owner may delete");
    }
}
