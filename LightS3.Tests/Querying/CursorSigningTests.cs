using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LightS3.Query;
using LightS3.Tests.Support;
using LightS3.Tests.Validation;

namespace LightS3.Tests.Querying;

/// <summary>
/// Cursors are signed with HMAC-SHA256 under the server's keys and every value in them is checked against its field:
/// a forged, re-signed, wrongly typed or oversized cursor is always a 400, never a 500 and never a misread page.
/// </summary>
[TestFixture(TestStore.Memory)]
[TestFixture(TestStore.File)]
[TestFixture(TestStore.S3, Category = External.Category)]
public sealed class CursorSigningTests(TestStore store)
{
    private const string Key = "test-cursor-key-0123456789";
    private const string OldKey = "old-cursor-key-0123456789";
    private readonly CapturedLogs _logs = new();
    private TestApp _app = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _app = await TestApp.StartAsync(store, a => a.Register<ProductCursor>("/products"), o => o.CursorSigningKeys = [Key, OldKey],
            configureServices: _logs.AddTo);
        await _app.SeedAsync("/products", SeedProduct.Make(12).Select(s => s.Body), parallelism: 4);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] UnB64(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s + new string('=', (4 - s.Length % 4) % 4));
    }

    private async Task<string> NextCursor(string query)
    {
        var body = await _app.Client.GetAsync($"/products?{query}&page_size=3").JsonAsync();
        return body["next"]!.GetValue<string>();
    }

    private static JsonObject PayloadOf(string cursor) => JsonNode.Parse(UnB64(cursor.Split('.')[0]))!.AsObject();

    private static string Sign(JsonObject payload, string key)
    {
        var json = Encoding.UTF8.GetBytes(payload.ToJsonString());
        return B64(json) + "." + B64(new CursorSigner([key]).Sign(json));
    }

    private async Task<HttpResponseMessage> GetWith(string query, string cursor) =>
        await _app.Client.GetAsync($"/products?{query}&page_size=3&cursor={Uri.EscapeDataString(cursor)}");

    [Test]
    public async Task A_cursor_edited_and_re_signed_without_the_server_key_is_400()
    {
        var cursor = await NextCursor("ordering=price");
        Assert.That(await GetWith("ordering=price", cursor).StatusAsync(), Is.EqualTo(200), "the genuine cursor works");

        var payload = PayloadOf(cursor);
        payload["v"]![0] = JsonValue.Create(-1000m);
        var json = Encoding.UTF8.GetBytes(payload.ToJsonString());
        var unkeyed = B64(json) + "." + B64(SHA256.HashData(json)[..16]);        // a checksum anyone can compute
        var wrongKey = Sign(payload, "someone-elses-key-0123456789");
        Assert.That(await GetWith("ordering=price", unkeyed).StatusAsync(), Is.EqualTo(400));
        Assert.That(await GetWith("ordering=price", wrongKey).StatusAsync(), Is.EqualTo(400));
        Assert.That(await GetWith("ordering=price", Sign(payload, Key)).StatusAsync(), Is.EqualTo(200), "the same edit under the server key is accepted");
    }

    public static IEnumerable<TestCaseData> BadValues()
    {
        TestCaseData Case(string name, string query, Action<JsonObject> edit) => new TestCaseData(query, edit).SetArgDisplayNames(name);
        yield return Case("text for a decimal", "ordering=price", p => p["v"]![0] = "abc");
        yield return Case("huge number for a decimal", "ordering=price", p => p["v"]![0] = JsonNode.Parse("1e400"));
        yield return Case("object for a decimal", "ordering=price", p => p["v"]![0] = new JsonObject { ["x"] = 1 });
        yield return Case("huge number for an int", "ordering=stock", p => p["v"]![0] = JsonNode.Parse("100000000000000000000"));
        yield return Case("fraction for an int", "ordering=stock", p => p["v"]![0] = 1.5);
        yield return Case("array for a text", "ordering=title", p => p["v"]![0] = new JsonArray(1, 2));
        yield return Case("number for a text", "ordering=title", p => p["v"]![0] = 7);
        yield return Case("text for a double", "ordering=rating", p => p["v"]![0] = "high");
        yield return Case("bad date", "ordering=created_at", p => p["v"]![0] = "yesterday");
        yield return Case("id value not the cursor's id", "ordering=price", p => p["v"]![1] = "0190b3f5-3c41-7d2b-9c3e-1f2a3b4c5d6e");
        yield return Case("number as the id", "", p => p["i"] = 5);
        yield return Case("unsafe id", "", p => { p["i"] = "../x"; p["v"]![0] = "../x"; });
        yield return Case("text as the direction", "", p => p["b"] = "yes");
        yield return Case("missing direction", "", p => p.Remove("b"));
        yield return Case("too few values", "ordering=price", p => p["v"]!.AsArray().RemoveAt(0));
        yield return Case("values not an array", "ordering=price", p => p["v"] = "x");
        yield return Case("fingerprint a number", "", p => p["q"] = 1);
    }

    [TestCaseSource(nameof(BadValues))]
    public async Task A_server_signed_cursor_with_a_value_not_of_its_field_type_is_400(string query, Action<JsonObject> edit)
    {
        var payload = PayloadOf(await NextCursor(query));
        edit(payload);
        var response = await GetWith(query, Sign(payload, Key));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
        Assert.That((await response.JsonAsync())["detail"]!.GetValue<string>(), Does.Contain("cursor"));
    }

    [TestCase("")]
    [TestCase("x.y.z")]
    [TestCase("e30.")]
    [TestCase("e30")]
    [TestCase("%00")]
    public async Task A_malformed_cursor_is_400(string cursor)
    {
        Assert.That(await GetWith("ordering=price", cursor).StatusAsync(), Is.EqualTo(cursor.Length == 0 ? 200 : 400));
    }

    [Test]
    public async Task A_cursor_signed_with_a_rotated_out_key_still_verifies_while_listed()
    {
        var payload = PayloadOf(await NextCursor("ordering=price"));
        var genuine = await GetWith("ordering=price", Sign(payload, Key)).JsonAsync();
        var old = await GetWith("ordering=price", Sign(payload, OldKey));
        Assert.That(old.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await old.JsonAsync())["results"]!.ToJsonString(), Is.EqualTo(genuine["results"]!.ToJsonString()));
    }

    [Test]
    public async Task New_cursors_are_signed_with_the_first_key_and_accepted_by_another_instance_sharing_it()
    {
        var cursor = await NextCursor("ordering=price");
        var json = UnB64(cursor.Split('.')[0]);
        Assert.That(UnB64(cursor.Split('.')[1]), Is.EqualTo(new CursorSigner([Key]).Sign(json)));
        await using var other = await TestApp.StartAsync(TestStore.Memory, a => a.Register<ProductCursor>("/products"), o => o.CursorSigningKeys = [Key]);
        await using var stranger = await TestApp.StartAsync(TestStore.Memory, a => a.Register<ProductCursor>("/products"), o => o.CursorSigningKeys = ["a-different-key-0123456789"]);
        Assert.That(await other.Client.GetAsync($"/products?ordering=price&cursor={Uri.EscapeDataString(cursor)}").StatusAsync(), Is.EqualTo(200));
        Assert.That(await stranger.Client.GetAsync($"/products?ordering=price&cursor={Uri.EscapeDataString(cursor)}").StatusAsync(), Is.EqualTo(400));
    }

    [Test]
    public async Task No_configured_key_warns_that_several_instances_need_a_shared_key()
    {
        var logs = new CapturedLogs();
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<ProductCursor>("/products"), configureServices: logs.AddTo);
        await app.SeedAsync("/products", SeedProduct.Make(4).Select(s => s.Body));
        var first = await app.Client.GetAsync("/products?page_size=2").JsonAsync();
        Assert.That(await app.Client.GetAsync($"/products?page_size=2&cursor={Uri.EscapeDataString(first["next"]!.GetValue<string>())}").StatusAsync(), Is.EqualTo(200));
        Assert.That(logs.Entries.Where(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning).Select(e => e.Message),
            Has.Some.Contains("shared key"));
        Assert.That(_logs.Entries.Select(e => e.Message), Has.None.Contains("shared key"), "no warning when keys are configured");
    }

    [Test]
    public void A_key_shorter_than_16_characters_stops_the_app_at_start()
    {
        Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () =>
        {
            await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<ProductCursor>("/products"), o => o.CursorSigningKeys = ["short"]);
        });
    }
}
