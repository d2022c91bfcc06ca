using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LightS3.Tests.Support;

namespace LightS3.Tests.Validation;

/// <summary>
/// Strings that are not valid Unicode (a lone surrogate escape, invalid UTF-8 bytes) anywhere in a write body are a
/// 400 problem, logged at most at debug level — never a 500 with a stack trace.
/// </summary>
public sealed class InvalidUnicodeTests
{
    private readonly CapturedLogs _logs = new();
    private TestApp _app = null!;

    [OneTimeSetUp]
    public async Task Start() => _app = await TestApp.StartAsync(TestStore.Memory, a =>
    {
        a.Register<BookEndpoint>("/books");
        a.Register<LenientEndpoint>("/lenient");
    }, configureServices: _logs.AddTo);

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    private static HttpContent Body(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);

    private static byte[] WithRawBytes(string before, byte[] raw, string after) => [.. Utf8(before), .. raw, .. Utf8(after)];

    public static IEnumerable<TestCaseData> Bodies()
    {
        yield return new TestCaseData("/books", Utf8("{\"title\": \"\\ud800\", \"author\": \"a\"}")).SetArgDisplayNames("lone high surrogate in a value");
        yield return new TestCaseData("/books", Utf8("{\"title\": \"x\\udc00y\", \"author\": \"a\"}")).SetArgDisplayNames("lone low surrogate in a value");
        yield return new TestCaseData("/books", Utf8("{\"t\\ud800\": \"x\", \"title\": \"t\", \"author\": \"a\"}")).SetArgDisplayNames("lone surrogate in a name");
        yield return new TestCaseData("/lenient", Utf8("{\"name\": \"n\", \"ignored\": \"\\ud800\"}")).SetArgDisplayNames("in an ignored unknown property");
        yield return new TestCaseData("/books", WithRawBytes("{\"title\": \"", [0xC3, 0x28], "\", \"author\": \"a\"}")).SetArgDisplayNames("invalid UTF-8 continuation");
        yield return new TestCaseData("/books", WithRawBytes("{\"title\": \"", [0xFF, 0xFE], "\", \"author\": \"a\"}")).SetArgDisplayNames("bytes never valid in UTF-8");
        yield return new TestCaseData("/books", WithRawBytes("{\"title\": \"", [0xED, 0xA0, 0x80], "\", \"author\": \"a\"}")).SetArgDisplayNames("UTF-8 encoded surrogate");
        yield return new TestCaseData("/books", WithRawBytes("{\"ti", [0xC0, 0xAF], "tle\": \"t\", \"author\": \"a\"}")).SetArgDisplayNames("overlong UTF-8 in a name");
    }

    [TestCaseSource(nameof(Bodies))]
    public async Task Invalid_unicode_in_a_post_body_is_400_problem_logged_at_most_at_debug(string route, byte[] body)
    {
        _logs.Clear();
        var response = await _app.Client.PostAsync(route, Body(body));
        Assert.That((int)response.StatusCode, Is.EqualTo(400), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((await response.JsonAsync())["detail"]!.GetValue<string>(), Does.StartWith("malformed JSON"));
        Assert.That(_logs.Complaints, Is.Empty);
    }

    [Test]
    public async Task Invalid_unicode_in_put_and_patch_bodies_is_400_and_changes_nothing()
    {
        var created = await _app.CreateAsync("/books", new { title = "kept", author = "a" });
        var id = created["id"]!.GetValue<string>();
        foreach (var method in new[] { HttpMethod.Put, HttpMethod.Patch })
        {
            var request = new HttpRequestMessage(method, $"/books/{id}") { Content = Body(Utf8("{\"title\": \"\\ud800\", \"author\": \"a\", \"version\": 1}")) };
            Assert.That((int)(await _app.Client.SendAsync(request)).StatusCode, Is.EqualTo(400), method.Method);
        }
        var after = await _app.Client.GetAsync($"/books/{id}").JsonAsync();
        Assert.That(after["title"]!.GetValue<string>(), Is.EqualTo("kept"));
        Assert.That(after["version"]!.GetValue<long>(), Is.EqualTo(1));
    }

    [Test]
    public async Task A_valid_surrogate_pair_escape_is_accepted()
    {
        var response = await _app.Client.PostAsync("/books", Body(Utf8("{\"title\": \"\\ud83d\\ude00\", \"author\": \"a\"}")));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await response.JsonAsync())["title"]!.GetValue<string>(), Is.EqualTo("😀"));
    }
}
