using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LightS3.Tests.Support;

namespace LightS3.Tests.Shaping;

/// <summary><c>Idempotency-Key</c> on POST and on <c>_bulk</c>: one write per key, the first response replayed, another body refused.</summary>
[TestFixture(TestStore.Memory)]
[TestFixture(TestStore.Embedded)]
[TestFixture(TestStore.S3, Category = External.Category)]
public sealed class IdempotencyTests(TestStore store)
{
    private TestApp _app = null!;

    [OneTimeSetUp]
    public async Task Start() => _app = await Shaped.StartAsync(store);

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    private Task<HttpResponseMessage> Post(string key, object body, string? token = null, string route = "/books") =>
        Shaped.SendAsync(_app, HttpMethod.Post, route, token, body, r => r.Headers.Add("Idempotency-Key", key));

    private async Task<int> CountAsync(string genre) =>
        (await _app.Client.GetAsync($"/books?genre={genre}&page_size=100").JsonAsync())["results"]!.AsArray().Count;

    [Test]
    public async Task A_retry_with_the_same_key_and_body_replays_the_first_response_and_creates_one_record()
    {
        var genre = Guid.NewGuid().ToString("N");
        var key = Guid.NewGuid().ToString();
        var first = await Post(key, Shaped.Book("Once", genre, 1, "A"));
        var retry = await Post(key, Shaped.Book("Once", genre, 1, "A"));
        Assert.That(((int)first.StatusCode, (int)retry.StatusCode), Is.EqualTo((201, 201)));
        Assert.That(await retry.Content.ReadAsStringAsync(), Is.EqualTo(await first.Content.ReadAsStringAsync()));
        Assert.That(retry.Headers.Location, Is.EqualTo(first.Headers.Location).And.Not.Null);
        Assert.That(retry.Headers.ETag, Is.EqualTo(first.Headers.ETag));
        Assert.That((first.Headers.Contains("Idempotent-Replayed"), retry.Headers.GetValues("Idempotent-Replayed").Single()), Is.EqualTo((false, "true")));
        Assert.That(await CountAsync(genre), Is.EqualTo(1));
    }

    [Test]
    public async Task The_same_key_with_another_body_is_a_422_problem()
    {
        var key = Guid.NewGuid().ToString();
        Assert.That(await Post(key, Shaped.Book("One", "g", 1, "A")).StatusAsync(), Is.EqualTo(201));
        var other = await Post(key, Shaped.Book("Two", "g", 1, "A"));
        Assert.That((int)other.StatusCode, Is.EqualTo(422));
        Assert.That((await other.JsonAsync())["detail"]!.GetValue<string>(), Does.Contain("different request body"));
    }

    [Test]
    public async Task Concurrent_retries_create_one_record_and_all_get_its_response()
    {
        var genre = Guid.NewGuid().ToString("N");
        var key = Guid.NewGuid().ToString();
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Post(key, Shaped.Book("Raced", genre, 1, "A"))));
        Assert.That(responses.Select(r => (int)r.StatusCode), Is.All.EqualTo(201));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.JsonAsync())["id"]!.GetValue<string>()));
        Assert.That(ids.Distinct().Count(), Is.EqualTo(1));
        Assert.That(await CountAsync(genre), Is.EqualTo(1));
    }

    [Test]
    public async Task Keys_are_scoped_per_caller()
    {
        var key = Guid.NewGuid().ToString();
        var alice = await (await Post(key, new { text = "same" }, Tokens.Create("alice"), "/notes")).JsonAsync();
        var bob = await Post(key, new { text = "same" }, Tokens.Create("bob"), "/notes");
        Assert.That((int)bob.StatusCode, Is.EqualTo(201));
        Assert.That((await bob.JsonAsync())["id"]!.GetValue<string>(), Is.Not.EqualTo(alice["id"]!.GetValue<string>()));
        Assert.That(bob.Headers.Contains("Idempotent-Replayed"), Is.False);
    }

    [Test]
    public async Task A_failed_request_releases_its_key_for_a_corrected_retry()
    {
        var genre = Guid.NewGuid().ToString("N");
        var key = Guid.NewGuid().ToString();
        Assert.That(await Post(key, new { title = "", genre, pages = 1, author = new { name = "A" } }).StatusAsync(), Is.EqualTo(422));
        Assert.That(await Post(key, Shaped.Book("Fixed", genre, 1, "A")).StatusAsync(), Is.EqualTo(201));
        Assert.That(await CountAsync(genre), Is.EqualTo(1));
    }

    [Test]
    public async Task A_bulk_retry_with_the_same_key_replays_its_results_and_writes_nothing_again()
    {
        var genre = Guid.NewGuid().ToString("N");
        var key = Guid.NewGuid().ToString();
        string[] lines = [System.Text.Json.JsonSerializer.Serialize(Shaped.Book("B1", genre, 1, "A")), System.Text.Json.JsonSerializer.Serialize(Shaped.Book("B2", genre, 1, "A"))];
        var first = await Shaped.BulkAsync(_app, "/books", lines, key: key);
        var retry = await Shaped.BulkAsync(_app, "/books", lines, key: key);
        Assert.That(await retry.Content.ReadAsStringAsync(), Is.EqualTo(await first.Content.ReadAsStringAsync()));
        Assert.That(retry.Headers.GetValues("Idempotent-Replayed").Single(), Is.EqualTo("true"));
        Assert.That(await CountAsync(genre), Is.EqualTo(2));
        Assert.That(await Shaped.BulkAsync(_app, "/books", lines.Take(1), key: key).StatusAsync(), Is.EqualTo(422));
    }

    [Test]
    public async Task A_malformed_key_is_a_400_problem()
    {
        var response = await Post(new string('k', 300), Shaped.Book("Long key", "g", 1, "A"));
        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That((await response.JsonAsync())["detail"]!.GetValue<string>(), Does.Contain("Idempotency-Key"));
    }
}

/// <summary>Keys are forgotten after their lifetime.</summary>
public sealed class IdempotencyExpiryTests
{
    [Test]
    public async Task After_its_lifetime_a_key_runs_again()
    {
        await using var app = await Shaped.StartAsync(TestStore.Memory, o => o.IdempotencyKeyLifetime = TimeSpan.FromMilliseconds(500));
        var key = Guid.NewGuid().ToString();
        async Task<string> PostAsync() => (await (await app.SendAsync(HttpMethod.Post, "/books", Shaped.Book("Again", "exp", 1, "A"),
            r => r.Headers.Add("Idempotency-Key", key))).JsonAsync())["id"]!.GetValue<string>();
        var first = await PostAsync();
        Assert.That(await PostAsync(), Is.EqualTo(first), "within its lifetime: replayed");
        await Task.Delay(700);
        Assert.That(await PostAsync(), Is.Not.EqualTo(first), "expired: a new request");
    }
}
