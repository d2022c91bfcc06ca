using System.Net;
using System.Text.RegularExpressions;
using LightS3.Endpoints;
using LightS3.Tests.Support;
using LightS3.Validation;

namespace LightS3.Tests.Validation;

public class PatternEndpoint : RestEndpoint<PatternEndpoint>
{
    [Field(Pattern = @"^(a+)+$")] public string? Evil { get; set; }
    [Field(Pattern = @"^\d{13}$")] public string? Isbn { get; set; }
    [Field(Pattern = @"\d+")] public string? Digits { get; set; }
    [Field(Pattern = @"^(?=(a+)+$)a*$")] public string? Lookahead { get; set; }
    [Field(Pattern = @"^(\w)\1$")] public string? Twice { get; set; }
    [Field(Pattern = @"a|ab")] public string? Alternatives { get; set; }
}

/// <summary>
/// Declared patterns match the whole value, in linear time where the pattern allows it; a pattern that cannot be
/// decided in time is a 422 for that field, never a 500.
/// </summary>
public sealed class PatternTests
{
    private readonly CapturedLogs _logs = new();
    private TestApp _app = null!;

    [OneTimeSetUp]
    public async Task Start() => _app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<PatternEndpoint>("/patterns"), configureServices: _logs.AddTo);

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    private async Task<int> Post(string field, string value) => await _app.Client.PostAsync("/patterns",
        new StringContent(new System.Text.Json.Nodes.JsonObject { [field] = value }.ToJsonString(), System.Text.Encoding.UTF8, "application/json")).StatusAsync();

    [Test]
    public async Task A_catastrophic_pattern_is_decided_quickly_and_an_input_it_rejects_is_422()
    {
        _logs.Clear();
        Assert.That(new WholeValuePattern(new Regex(@"^(a+)+$")).IsLinear, Is.True, "runs on the linear-time engine");
        // a hang guard, not a timing: backtracking on 5,000 a's would never finish, and the linear engine takes milliseconds
        Assert.That(await Post("evil", new string('a', 41) + "!").WaitAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(422));
        Assert.That(await Post("evil", new string('a', 5000) + "!").WaitAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(422));
        Assert.That(await Post("evil", new string('a', 41)), Is.EqualTo(201));
        Assert.That(_logs.Complaints, Is.Empty);
    }

    [Test]
    public async Task A_pattern_the_linear_engine_cannot_run_times_out_as_a_422()
    {
        Assert.That(new WholeValuePattern(new Regex(@"^(?=(a+)+$)a*$")).IsLinear, Is.False, "lookarounds need the backtracking engine");
        Assert.That(await Post("lookahead", new string('a', 41) + "!"), Is.EqualTo(422));
        Assert.That(await Post("lookahead", "aaa"), Is.EqualTo(201));
        Assert.That(await Post("twice", "xx"), Is.EqualTo(201));
        Assert.That(await Post("twice", "xy"), Is.EqualTo(422));
    }

    [TestCase("isbn", "5555555555555\n", 422)]
    [TestCase("isbn", "5555555555555", 201)]
    [TestCase("isbn", "\n5555555555555", 422)]
    [TestCase("digits", "abc123", 422)]
    [TestCase("digits", "123\n", 422)]
    [TestCase("digits", "123", 201)]
    [TestCase("alternatives", "ab", 201)]
    [TestCase("alternatives", "abc", 422)]
    public async Task A_pattern_must_match_the_whole_value(string field, string value, int status)
    {
        Assert.That(await Post(field, value), Is.EqualTo(status));
    }

    [Test]
    public async Task The_422_names_the_field_and_the_declared_pattern()
    {
        var response = await _app.Client.PostAsync("/patterns", new StringContent("{\"isbn\": \"12\\n\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That((await response.JsonAsync())["errors"]!["isbn"]![0]!.GetValue<string>(), Is.EqualTo(@"must match the pattern ^\d{13}$"));
    }

    [Test]
    public void Options_of_the_declared_pattern_are_kept_and_a_comment_cannot_swallow_the_anchor()
    {
        var ignoreCase = new WholeValuePattern(new Regex("^abc$", RegexOptions.IgnoreCase));
        Assert.That(ignoreCase.Matches("ABC"), Is.True);
        var commented = new WholeValuePattern(new Regex("abc # letters", RegexOptions.IgnorePatternWhitespace));
        Assert.That((commented.Matches("abc"), commented.Matches("abcd")), Is.EqualTo((true, false)));
        var multiline = new WholeValuePattern(new Regex("^abc$", RegexOptions.Multiline));
        Assert.That(multiline.Matches("x\nabc"), Is.False, "line anchors do not turn a whole-value match into a line match");
    }
}
