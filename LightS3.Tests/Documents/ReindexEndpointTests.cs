using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Storage;
using LightS3.Tests.Querying;
using LightS3.Tests.Support;

namespace LightS3.Tests.Documents;

/// <summary><c>POST/GET {route}/_reindex</c>: an admin starts a background index rebuild and follows its progress.</summary>
[TestFixture(TestStore.File)]
[TestFixture(TestStore.S3, Category = External.Category)]
public sealed class ReindexEndpointTests(TestStore store)
{
    private static readonly string Admin = Tokens.Create("root", admin: true);

    private static async Task<(HttpStatusCode Status, JsonObject? Body, HttpResponseMessage Response)> Send(TestApp app, HttpMethod method, string path, string? token)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await app.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null, response);
    }

    private static async Task<JsonObject> FollowUntilFinished(TestApp app, string route)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var (status, body, _) = await Send(app, HttpMethod.Get, $"{route}/_reindex", Admin);
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            if (body!["status"]!.GetValue<string>() != "running" || DateTime.UtcNow > deadline) return body;
            await Task.Delay(100);
        }
    }

    [Test]
    public async Task An_admin_rebuilds_lost_index_entries_in_the_background_and_follows_it_to_done()
    {
        await using var app = await TestApp.StartAsync(store, a => a.Register<ProductPages>("/products"), o => o.Jwt.Secret = Tokens.Secret);
        await app.SeedAsync("/products", SeedProduct.Make(40).Select(s => s.Body));
        var news = SeedProduct.Make(40).Where(s => s.Category == "news").Select(s => s.Title).ToList();
        // lose every index entry, as after adding Index to a field of existing records
        await foreach (var entry in app.ObjectStore.EnumerateAsync("products/index/", null)) await app.ObjectStore.DeleteAsync(entry.Key);
        Assert.That(await IndexCorrectnessTests.Titles(app, "category=news"), Is.Empty, "without entries the index finds nothing");

        var idle = await Send(app, HttpMethod.Get, "/products/_reindex", Admin);
        Assert.That(idle.Body!["status"]!.GetValue<string>(), Is.EqualTo("idle"));
        var (started, body, response) = await Send(app, HttpMethod.Post, "/products/_reindex", Admin);
        Assert.That(started, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(body!["status"]!.GetValue<string>(), Is.EqualTo("running"));
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo("/products/_reindex"));

        var done = await FollowUntilFinished(app, "/products");
        Assert.That(done["status"]!.GetValue<string>(), Is.EqualTo("done"), done.ToJsonString());
        Assert.That(done["records"]!.GetValue<long>(), Is.EqualTo(40));
        Assert.That(done["entries_written"]!.GetValue<long>(), Is.EqualTo(160), "4 indexed fields x 40 records");
        Assert.That(done["finished_at"], Is.Not.Null);
        Assert.That(await IndexCorrectnessTests.Titles(app, "category=news"), Is.EquivalentTo(news));
    }

    [Test]
    public async Task Reindex_is_for_admins_only()
    {
        await using var app = await TestApp.StartAsync(store, a => a.Register<ProductPages>("/products"), o => o.Jwt.Secret = Tokens.Secret);
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Post })
        {
            var anonymous = await Send(app, method, "/products/_reindex", null);
            Assert.That(anonymous.Status, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(anonymous.Response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
            Assert.That((await Send(app, method, "/products/_reindex", Tokens.Create("alice"))).Status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await Send(app, method, "/products/_reindex", Tokens.Tampered("root"))).Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        }
        Assert.That(await app.ObjectStore.GetAsync("products/jobs/reindex.json"), Is.Null, "a refused start claims nothing");
    }

    [Test]
    public async Task A_start_while_another_instance_runs_is_409_and_a_stalled_run_is_taken_over()
    {
        await using var app = await TestApp.StartAsync(store, a => a.Register<ProductPages>("/products"), o => o.Jwt.Secret = Tokens.Secret);
        var key = "products/jobs/reindex.json";
        byte[] Running(TimeSpan age) => Encoding.UTF8.GetBytes(
            $$"""{"status":"running","phase":"records","processed":5,"total":90,"updated_at":"{{DateTimeOffset.UtcNow - age:O}}"}""");

        await app.ObjectStore.PutAsync(key, Running(TimeSpan.FromSeconds(1)), WriteCondition.None);
        var busy = await Send(app, HttpMethod.Post, "/products/_reindex", Admin);
        Assert.That(busy.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(busy.Body!["detail"]!.GetValue<string>(), Does.Contain("already running"));
        Assert.That((await Send(app, HttpMethod.Get, "/products/_reindex", Admin)).Body!["processed"]!.GetValue<long>(), Is.EqualTo(5), "the other run's progress is visible here");

        await app.ObjectStore.PutAsync(key, Running(ReindexJobs.StallAfter + TimeSpan.FromMinutes(1)), WriteCondition.None);
        Assert.That((await Send(app, HttpMethod.Post, "/products/_reindex", Admin)).Status, Is.EqualTo(HttpStatusCode.Accepted), "a stalled run is taken over");
        Assert.That((await FollowUntilFinished(app, "/products"))["status"]!.GetValue<string>(), Is.EqualTo("done"));
    }

    [Test]
    public async Task Collections_without_indexes_have_no_reindex_operation()
    {
        await using var app = await TestApp.StartAsync(store, a => a.Register<UnindexedProduct>("/plain"), o => o.Jwt.Secret = Tokens.Secret);
        Assert.That((await Send(app, HttpMethod.Post, "/plain/_reindex", Admin)).Status, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That((await Send(app, HttpMethod.Get, "/plain/_reindex", Admin)).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
