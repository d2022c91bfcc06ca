using System.Text.Json.Nodes;
using LightS3.Yaml;
using LightS3.Tests.Support;

namespace LightS3.Tests.Cli;

/// <summary><c>lights3 import</c> and <c>lights3 export</c> on the embedded store and on RGW.</summary>
[Category(External.Category)]
[Parallelizable(ParallelScope.All)]
public sealed class ImportExportCommandTests
{
    private const string Tags = """
        {"label":"alpha","weight":1}
        {"label":"b"}

        {"label":"gamma","weight":"heavy"}
        not json
        {"label":"alpha"}
        {"label":"delta","weight":4}

        """;

    private static CliWorkspace Workspace(bool s3)
    {
        var ws = CliWorkspace.Create("");
        ws.Write("lightapi.yaml", (s3 ? CliWorkspace.S3Storage(S3TestServer.NewPrefix("cli-io")) : ws.FileStorage) + CliSamples.Endpoints);
        return ws;
    }

    private static async Task<List<JsonObject>> ExportAsync(CliWorkspace ws, string route)
    {
        var run = await ws.RunAsync("export", "--route", route);
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        return run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (JsonObject)JsonNode.Parse(l)!).ToList();
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Import_creates_the_valid_lines_through_the_api_and_reports_each_rejected_line_with_exit_1(bool s3)
    {
        using var ws = Workspace(s3);
        var file = ws.Write("tags.ndjson", Tags);
        var run = await ws.RunAsync("import", file, "--route", "/tags", "--report", "report.ndjson");
        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        var rejected = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(rejected, Has.Length.EqualTo(4), run.ToString());
        Assert.That(rejected[0], Does.StartWith("line 2: 422 label:"), "min_length 2, as POST checks it");
        Assert.That(rejected[1], Does.StartWith("line 4: 422 weight:"));
        Assert.That(rejected[2], Does.StartWith("line 5: 400 invalid JSON"));
        Assert.That(rejected[3], Does.StartWith("line 6: 409"), "the unique label, as POST answers");
        Assert.That(run.Errors, Does.Contain("imported 2 records into /tags, 4 rejected"));
        var report = File.ReadAllLines(Path.Combine(ws.Directory, "report.ndjson")).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.That(report.Select(r => (int)r["line"]!), Is.EqualTo(new[] { 1, 2, 4, 5, 6, 7 }));
        Assert.That(report[0]["status"]!.GetValue<int>(), Is.EqualTo(201));
        var stored = await ExportAsync(ws, "/tags");
        Assert.That(stored.Select(r => r["label"]!.GetValue<string>()), Is.EquivalentTo(new[] { "alpha", "delta" }));
        Assert.That(stored.Select(r => r["id"]!.GetValue<string>()), Is.EquivalentTo(report.Where(r => (int)r["status"]! == 201).Select(r => r["id"]!.GetValue<string>())));
    }

    [Test]
    public async Task A_dry_run_reports_the_same_rejections_and_writes_nothing()
    {
        using var ws = Workspace(false);
        var file = ws.Write("tags.ndjson", Tags);
        var run = await ws.RunAsync("import", file, "--route", "/tags", "--dry-run");
        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Output, Does.Contain("line 2: 422 label:").And.Contain("line 4: 422 weight:").And.Contain("line 6: 409 a record with this label already exists (earlier in the file)"));
        Assert.That(run.Errors, Does.Contain("dry run: 2 valid, 4 rejected"));
        Assert.That(await ExportAsync(ws, "/tags"), Is.Empty);
        Assert.That(File.Exists(file + ".lights3-import"), Is.False, "a dry run leaves no checkpoint");
    }

    [Test]
    public async Task Import_resumes_after_its_checkpoint_and_a_second_run_creates_nothing_twice()
    {
        using var ws = Workspace(false);
        var file = ws.Write("tags.ndjson", "{\"label\":\"one\"}\n{\"label\":\"two\"}\n{\"label\":\"three\"}\n");
        // as if a first run had died after its first two lines
        File.WriteAllText(file + ".lights3-import", $"{{\"route\":\"/tags\",\"size\":{new FileInfo(file).Length},\"next_line\":3}}");
        var resumed = await ws.RunAsync("import", file, "--route", "/tags");
        Assert.That(resumed.ExitCode, Is.Zero, resumed.ToString());
        Assert.That(resumed.Errors, Does.Contain("resuming at line 3").And.Contain("imported 1 records"));
        Assert.That((await ExportAsync(ws, "/tags")).Select(r => r["label"]!.GetValue<string>()), Is.EqualTo(new[] { "three" }));
        var again = await ws.RunAsync("import", file, "--route", "/tags");
        Assert.That(again.Errors, Does.Contain("imported 0 records"));
        Assert.That(await ExportAsync(ws, "/tags"), Has.Count.EqualTo(1));
        var restarted = await ws.RunAsync("import", file, "--route", "/tags", "--restart");
        Assert.That(restarted.ExitCode, Is.EqualTo(1), "three is taken now");
        Assert.That(await ExportAsync(ws, "/tags"), Has.Count.EqualTo(3));
    }

    [Test]
    public async Task A_checkpoint_of_another_file_is_refused_with_exit_2()
    {
        using var ws = Workspace(false);
        var file = ws.Write("tags.ndjson", "{\"label\":\"one\"}\n");
        File.WriteAllText(file + ".lights3-import", "{\"route\":\"/tags\",\"size\":999,\"next_line\":3}");
        var run = await ws.RunAsync("import", file, "--route", "/tags");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Errors, Does.Contain("checkpoint of another import").And.Contain("--restart"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Csv_imports_typed_cells_into_an_authenticated_endpoint_and_exports_back_as_csv(bool s3)
    {
        using var ws = Workspace(s3);
        var file = ws.Write("orders.csv", "status,total\nnew,12.50\n\"paid, in full\",3\nshipped,-1\n");
        var run = await ws.RunAsync("import", file, "--route", "/orders");
        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Output.Trim(), Does.StartWith("line 4: 422 total:"), "ge: 0");
        var export = await ws.RunAsync("export", "--route", "/orders", "--format", "csv", "-o", "out.csv");
        Assert.That(export.ExitCode, Is.Zero, export.ToString());
        var lines = File.ReadAllLines(Path.Combine(ws.Directory, "out.csv"));
        Assert.That(lines[0], Is.EqualTo("id,status,total,created_at,updated_at,version"));
        Assert.That(lines.Skip(1).Select(l => l.Split(',')[1]), Is.EquivalentTo(new[] { "new", "\"paid" }));
        Assert.That(lines.Single(l => l.Contains("\"paid, in full\"")), Does.Contain(",3,"));
        Assert.That(lines.Single(l => l.Contains(",new,")), Does.Contain(",12.50,").Or.Contain(",12.5,"));

        using var copy = Workspace(s3);
        var again = await copy.RunAsync("import", Path.Combine(ws.Directory, "out.csv"), "--route", "/orders");
        Assert.That(again.ExitCode, Is.Zero, again.ToString());
        Assert.That((await ExportAsync(copy, "/orders")).Select(r => r["status"]!.GetValue<string>()), Is.EquivalentTo(new[] { "new", "paid, in full" }));
    }

    [Test]
    public async Task Csv_export_has_the_endpoints_columns_and_cells_and_imports_nested_columns_back()
    {
        using var ws = CliWorkspace.Create("");
        ws.Write("lightapi.yaml", ws.FileStorage + """
            endpoints:
              - route: /people
                fields:
                  name: { type: str }
                  address:
                    type: object
                    fields:
                      city: { type: str }
                      zip: { type: str, optional: true }
                  tags: { type: list, items: str }
                  score: { type: decimal, optional: true }

            """);
        var file = ws.Write("people.ndjson", """
            {"name":"Ann, \"the first\"","address":{"city":"Paris","zip":"75001"},"tags":["a","b"],"score":1.50}
            {"name":"Bob","address":{"city":"Lyon"},"tags":[]}

            """);
        Assert.That((await ws.RunAsync("import", file, "--route", "/people")).ExitCode, Is.Zero);
        var export = await ws.RunAsync("export", "--route", "/people", "--format", "csv", "-o", "people.csv");
        Assert.That(export.ExitCode, Is.Zero, export.ToString());
        var cli = await File.ReadAllTextAsync(Path.Combine(ws.Directory, "people.csv"));

        await using (var app = LightS3App.FromConfig(Path.Combine(ws.Directory, "lightapi.yaml"), ["--urls", "http://127.0.0.1:0"]))
        {
            await app.StartAsync();
            using var client = new HttpClient { BaseAddress = new Uri(app.Urls[0]) };
            var endpoint = await client.GetStringAsync("/people/_export?format=csv");
            Assert.That(cli, Is.EqualTo(endpoint), "the CLI writes the endpoint's CSV: header, dotted columns, cells, CRLF");
        }
        Assert.That(cli, Does.StartWith("id,name,address.city,address.zip,tags,score,created_at,updated_at,version\r\n"));

        using var copy = CliWorkspace.Create("");
        copy.Write("lightapi.yaml", File.ReadAllText(Path.Combine(ws.Directory, "lightapi.yaml")).Replace(ws.DataDir, copy.DataDir));
        var again = await copy.RunAsync("import", Path.Combine(ws.Directory, "people.csv"), "--route", "/people");
        Assert.That(again.ExitCode, Is.Zero, again.ToString());
        var people = (await ExportAsync(copy, "/people")).OrderBy(p => p["name"]!.GetValue<string>()).ToList();
        Assert.That(people[0]["name"]!.GetValue<string>(), Is.EqualTo("Ann, \"the first\""));
        Assert.That(people[0]["address"]!.ToJsonString(), Is.EqualTo("{\"city\":\"Paris\",\"zip\":\"75001\"}"), "dotted columns become the nested object again");
        Assert.That(people[0]["tags"]!.ToJsonString(), Is.EqualTo("[\"a\",\"b\"]"));
        Assert.That(people[1]["address"]!["city"]!.GetValue<string>(), Is.EqualTo("Lyon"));
    }

    [Test]
    public async Task Import_into_an_unknown_route_is_exit_2()
    {
        using var ws = Workspace(false);
        var file = ws.Write("x.ndjson", "{}\n");
        var run = await ws.RunAsync("import", file, "--route", "/nope");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Errors, Does.Contain("no endpoint at '/nope'"));
    }
}
