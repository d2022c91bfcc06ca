using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Endpoints;
using LightS3.Hosting;
using LightS3.Model;
using LightS3.Tests.Support;
using LightS3.Yaml;
using LightS3.Yaml.Config;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Tests.Cli;

/// <summary>
/// <c>export</c> → <c>import</c> → <c>export</c> for every field kind and every meta option (history, actors, soft delete,
/// ttl, files, references, nested), in NDJSON and CSV: what the server maintains is dropped, never refused, and every
/// other value comes back as it was — formula-leading strings included.
/// </summary>
[Parallelizable(ParallelScope.All)]
[Category(External.Category)] // runs the published lights3 host
public sealed class ExportImportRoundTripTests
{
    private const string Endpoints = """
        endpoints:
          - route: /authors
            fields:
              name: { type: str }
          - route: /notes
            fields:
              title: { type: str }
              author: { type: ref, to: /authors, optional: true }
              address: { type: object, fields: { city: { type: str }, zip: { type: str, optional: true } } }
              tags: { type: list, items: str }
              prices: { type: map, values: decimal }
              extra: { type: json, optional: true }
              attachment: { type: file, optional: true }
              when: { type: datetime, optional: true }
              kind: { type: enum, values: [small, large], optional: true }
              done: { type: bool, default: false }
              ref_id: { type: uuid, optional: true }
              count: { type: long, optional: true }
              ratio: { type: float, optional: true }
            meta:
              history: true
              track_actors: true
              soft_delete: true
              ttl: 7d

        """;

    /// <summary>What the server maintains (or, for files, what an export cannot carry): not compared.</summary>
    private static readonly string[] Managed =
    [
        AutoFields.Id, AutoFields.CreatedAt, AutoFields.UpdatedAt, AutoFields.Version,
        TimeFields.DeletedAt, TimeFields.CreatedBy, TimeFields.UpdatedBy, TimeFields.ExpiresAt, TimeFields.RestoredFrom, "attachment",
    ];

    [TestCase(false, "ndjson")]
    [TestCase(false, "csv")]
    [TestCase(true, "ndjson")]
    [TestCase(true, "csv")]
    public async Task An_export_imports_back_with_every_field_as_it_was_and_the_server_fields_dropped(bool s3, string format)
    {
        using var ws = CliWorkspace.Create("");
        ws.Write("lightapi.yaml", (s3 ? CliWorkspace.S3Storage(S3TestServer.NewPrefix("cli-rt")) : ws.FileStorage) + Endpoints);
        await SeedAsync(ws);

        var before = await ExportAsync(ws);
        Assert.That(before, Has.Count.EqualTo(2), "the soft-deleted record is not exported");
        Assert.That(before.SelectMany(r => r.Select(p => p.Key)), Is.SupersetOf(new[] { "created_by", "updated_by", "expires_at", "restored_from" }),
            "the export carries every meta field, so the import meets them");
        Assert.That(before.Any(r => r["attachment"] is JsonObject), "and a file value");

        var file = Path.Combine(ws.Directory, $"notes.{format}");
        var exported = await ws.RunAsync("export", "--route", "/notes", "-o", file);
        Assert.That(exported.ExitCode, Is.Zero, exported.ToString());
        var imported = await ws.RunAsync("import", file, "--route", "/notes");
        Assert.That(imported.ExitCode, Is.Zero, imported.ToString());
        Assert.That(imported.Errors, Does.Contain("imported 2 records"));

        var after = await ExportAsync(ws);
        var ids = before.Select(r => r["id"]!.GetValue<string>()).ToHashSet();
        var copies = after.Where(r => !ids.Contains(r["id"]!.GetValue<string>())).ToList();
        Assert.That(copies.Select(Compared), Is.EquivalentTo(before.Select(Compared)), "every value the client owns came back as it was");
        Assert.That(copies.Select(r => r["attachment"]), Has.All.Null, "files are not in an export: the copies have none");
        Assert.That(copies.Select(r => r["version"]!.GetValue<long>()), Has.All.EqualTo(1), "new records");
    }

    private static string Compared(JsonObject record)
    {
        var copy = (JsonObject)record.DeepClone();
        foreach (var name in Managed) copy.Remove(name);
        return copy.ToJsonString();
    }

    private static async Task<List<JsonObject>> ExportAsync(CliWorkspace ws)
    {
        var run = await ws.RunAsync("export", "--route", "/notes");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        return run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (JsonObject)JsonNode.Parse(l)!).ToList();
    }

    /// <summary>
    /// An author; a note with every kind filled, an actor and a file; a note with formula-leading strings, updated and
    /// restored from its history (<c>restored_from</c>); a soft-deleted note.
    /// </summary>
    private static async Task SeedAsync(CliWorkspace ws)
    {
        await using var app = YamlApp.Build(YamlConfigReader.ReadFile(Path.Combine(ws.Directory, "lightapi.yaml")), [], LightS3.Cli.CliHost.Quiet);
        var registry = app.Services.GetRequiredService<EndpointRegistry>();
        var authors = registry.Get("/authors");
        var notes = registry.Get("/notes");
        using var actor = WriteActor.Begin("alice");
        async Task<Record> Create(EndpointRuntime runtime, string json) =>
            await runtime.Repository.InsertAsync(await runtime.ValidateCreateAsync(app.Services, (JsonObject)JsonNode.Parse(json)!));

        var author = await Create(authors, """{"name":"Ann"}""");
        var full = await Create(notes, $$"""
            {"title":"full, \"quoted\"\nline","author":"{{author.Id}}","address":{"city":"Oslo","zip":"0150"},"tags":["a","b c"],
             "prices":{"p":1.25,"q":0},"extra":{"k":[1,{"x":null}]},"when":"2024-02-29T12:00:00Z","kind":"large","done":true,
             "ref_id":"0190c8a4-9b36-7b5e-8f2a-1c2d3e4f5a6b","count":9007199254740993,"ratio":0.5}
            """);
        var withFile = (JsonObject)full.Peek().DeepClone();
        withFile["attachment"] = new JsonObject { ["name"] = "a.txt", ["size"] = 3, ["content_type"] = "text/plain", ["status"] = "ready" };
        await notes.Repository.ReplaceFilesAsync(full, withFile);
        var formulas = await Create(notes, """
            {"title":"=HYPERLINK(\"http://x\")","address":{"city":"@SUM(A1)","zip":"-1"},"tags":["+1","'quoted"],"prices":{},
             "extra":"=1+1","kind":null,"count":-5,"ratio":-0.5}
            """);
        var changed = await notes.Repository.ReplaceAsync(formulas, await notes.ValidateCreateAsync(app.Services,
            (JsonObject)JsonNode.Parse("""{"title":"changed","address":{"city":"x"},"tags":[],"prices":{}}""")!));
        await notes.Repository.RestoreAsync(changed, formulas.Peek(), 1);
        var gone = await Create(notes, """{"title":"gone","address":{"city":"x"},"tags":[],"prices":{}}""");
        await notes.Repository.DeleteAsync(gone);
    }
}
