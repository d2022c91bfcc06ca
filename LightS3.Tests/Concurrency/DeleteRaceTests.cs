using System.Net;
using System.Net.Http.Headers;
using LightS3.Tests.Support;

namespace LightS3.Tests.Concurrency;

/// <summary>
/// A delete races an update on one version: a delete is a compare-and-swap tombstone PUT, so exactly one of them is
/// acknowledged, and what was acknowledged is what stays — on servers that ignore If-Match on DELETE (Ceph RGW) too.
/// </summary>
[TestFixture(TestStore.S3, Category = External.Category)]
[TestFixture(TestStore.File)]
[TestFixture(TestStore.Embedded)]
public sealed class DeleteRaceTests(TestStore store)
{
    private const int Trials = 100;
    private TestApp _app = null!;

    [OneTimeSetUp]
    public async Task Start() => _app = await TestApp.StartAsync(store, a => a.Register<BookEndpoint>("/books"));

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    [Test]
    public async Task A_conditional_delete_racing_a_patch_on_one_version_has_exactly_one_acknowledged_winner()
    {
        var outcomes = new Dictionary<string, int>();
        for (var trial = 0; trial < Trials; trial++)
        {
            var created = await _app.PostAsync("/books", new { title = "race", author = "a" });
            var id = (await created.JsonAsync())["id"]!.GetValue<string>();
            var etag = created.Headers.ETag!;
            var patch = _app.SendAsync(HttpMethod.Patch, $"/books/{id}", new { title = "patched", version = 1 });
            var delete = _app.SendAsync(HttpMethod.Delete, $"/books/{id}", adjust: r => r.Headers.IfMatch.Add(etag));
            var (p, d) = ((int)(await patch).StatusCode, (int)(await delete).StatusCode);
            var after = await _app.Client.GetAsync($"/books/{id}");
            var key = $"patch {p} / delete {d}";
            outcomes[key] = outcomes.GetValueOrDefault(key) + 1;

            Assert.That((p == 200) ^ (d == 204), Is.True, $"trial {trial}: exactly one acknowledged ({key})");
            if (p == 200)
            {
                Assert.That(d, Is.EqualTo(409), $"trial {trial}: the delete of the old version lost");
                Assert.That((await after.JsonAsync())["version"]!.GetValue<long>(), Is.EqualTo(2), $"trial {trial}: the acknowledged patch is visible");
            }
            else
            {
                Assert.That(p, Is.AnyOf(404, 409), $"trial {trial}: the patch lost");
                Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), $"trial {trial}: the acknowledged delete sticks");
            }
        }
        TestContext.Out.WriteLine(string.Join("; ", outcomes.Select(o => $"{o.Key}: {o.Value}")));
    }

    [Test]
    public async Task An_unconditional_delete_racing_a_patch_never_leaves_an_acknowledged_delete_readable()
    {
        for (var trial = 0; trial < Trials; trial++)
        {
            var id = (await _app.CreateAsync("/books", new { title = "race", author = "a" }))["id"]!.GetValue<string>();
            var patch = _app.SendAsync(HttpMethod.Patch, $"/books/{id}", new { title = "patched", version = 1 });
            var delete = _app.SendAsync(HttpMethod.Delete, $"/books/{id}");
            var (p, d) = ((int)(await patch).StatusCode, (int)(await delete).StatusCode);
            var after = await _app.Client.GetAsync($"/books/{id}");
            if (d == 204)
            {
                Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), $"trial {trial}: patch {p}, the acknowledged delete sticks");
                Assert.That(p, Is.AnyOf(200, 404, 409), $"trial {trial}");
            }
            else
            {
                // the delete read version 1 and lost to the patch: the patch is what stays
                Assert.That((p, d), Is.EqualTo((200, 409)), $"trial {trial}");
                Assert.That((await after.JsonAsync())["version"]!.GetValue<long>(), Is.EqualTo(2), $"trial {trial}");
            }
        }
    }

    [Test]
    public async Task Twenty_concurrent_deletes_of_one_record_leave_it_deleted_with_one_winner()
    {
        var id = (await _app.CreateAsync("/books", new { title = "many", author = "a" }))["id"]!.GetValue<string>();
        var statuses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _app.SendAsync(HttpMethod.Delete, $"/books/{id}").StatusAsync()));
        Assert.That(statuses, Has.All.AnyOf(204, 404), string.Join(",", statuses));
        Assert.That(statuses.Count(s => s == 204), Is.EqualTo(1), $"exactly one delete won: {string.Join(",", statuses)}");
        Assert.That(await _app.Client.GetAsync($"/books/{id}").StatusAsync(), Is.EqualTo(404));
        Assert.That(await _app.SendAsync(HttpMethod.Patch, $"/books/{id}", new { title = "zombie", version = 1 }).StatusAsync(), Is.EqualTo(404));
    }

    [Test]
    public async Task Delete_checks_every_etag_of_an_if_match_list_like_patch_does()
    {
        var created = await _app.PostAsync("/books", new { title = "list", author = "a" });
        var id = (await created.JsonAsync())["id"]!.GetValue<string>();
        var response = await _app.SendAsync(HttpMethod.Delete, $"/books/{id}", adjust: r =>
        {
            r.Headers.IfMatch.Add(new EntityTagHeaderValue("\"0000000000000000\""));
            r.Headers.IfMatch.Add(created.Headers.ETag!);
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await _app.Client.GetAsync($"/books/{id}").StatusAsync(), Is.EqualTo(404));
    }
}
