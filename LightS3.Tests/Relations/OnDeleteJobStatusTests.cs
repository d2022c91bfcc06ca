using System.Text.Json.Nodes;
using LightS3.Endpoints;
using LightS3.Tests.Support;

namespace LightS3.Tests.Relations;

/// <summary>The set_null / cascade work shows in <c>/readyz</c>'s jobs entry beside the leased jobs (docs/relations.md).</summary>
public sealed class OnDeleteJobStatusTests
{
    private static async Task<JsonNode?> OnDeleteEntryAsync(TestApp app, Func<JsonNode?, bool> until)
    {
        JsonNode? entry = null;
        for (var i = 0; i < 100; i++)
        {
            var body = await (await app.Client.GetAsync("/readyz")).JsonAsync();
            entry = body["checks"]?["jobs"]?["data"]?[OnDeleteJobs.JobName];
            if (until(entry)) return entry;
            await Task.Delay(100);
        }
        return entry;
    }

    [Test]
    public async Task Readyz_lists_the_on_delete_work_with_its_last_pass_where_references_need_it()
    {
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => Library.Register(a, Front.CSharp));
        var author = (await app.CreateAsync("/authors", new { name = "Herbert" }))["id"]!.GetValue<string>();
        await app.CreateAsync("/books", new { title = "Dune", author });
        Assert.That((int)(await app.SendAsync(HttpMethod.Delete, $"/authors/{author}")).StatusCode, Is.EqualTo(204));

        var entry = await OnDeleteEntryAsync(app, e => e?["last_run_at"] is not null);

        Assert.That(entry, Is.Not.Null, "an on-delete entry in /readyz");
        Assert.Multiple(() =>
        {
            Assert.That(entry!["enabled"]!.GetValue<bool>(), Is.True, "set_null and cascade references point at collections here");
            Assert.That(entry["held_here"]!.GetValue<bool>(), Is.True, "every instance runs passes");
            Assert.That(entry["last_run_at"]?.GetValue<string>(), Is.Not.Null);
            Assert.That(entry["last_error"], Is.Null);
        });
    }

    [Test]
    public async Task Without_set_null_or_cascade_references_the_on_delete_work_is_listed_as_off()
    {
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<Support.BookEndpoint>("/books"));

        var entry = await OnDeleteEntryAsync(app, e => e is not null);

        Assert.That(entry?["enabled"]?.GetValue<bool>(), Is.False);
    }
}
