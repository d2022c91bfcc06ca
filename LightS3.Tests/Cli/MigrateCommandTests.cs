using LightS3.Migrations;
using LightS3.Storage;
using LightS3.Tests.Migrations;
using LightS3.Tests.Support;

namespace LightS3.Tests.Cli;

/// <summary><c>lights3 migrate create|status|up|down|finish</c> and <c>validate</c>'s stored-schema check, through the published tool.</summary>
[Category(External.Category)]
[Parallelizable(ParallelScope.All)]
public sealed class MigrateCommandTests
{
    private static async Task<CliWorkspace> SeededAsync(string storage, int count)
    {
        var ws = CliWorkspace.Create(storage + MigrationSamples.Before);
        var lines = string.Join("\n", Enumerable.Range(0, count).Select(i => $"{{\"title\":\"item-{i:D5}\",\"price\":\"{i}.50\",\"seq\":{i}}}"));
        var run = await ws.RunAsync("import", ws.Write("seed.ndjson", lines + "\n"), "--route", "/items");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        return ws;
    }

    private static async Task<CliRun> Ok(CliWorkspace ws, params string[] args)
    {
        var run = await ws.RunAsync(args);
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        return run;
    }

    [Test]
    public async Task Status_up_to_a_target_up_and_down_report_what_they_did_with_exit_codes()
    {
        var ws = CliWorkspace.Create("");
        using var _ = ws;
        ws.Write("lightapi.yaml", ws.FileStorage + MigrationSamples.Before);
        await Ok(ws, "import", ws.Write("seed.ndjson", "{\"title\":\"a\",\"price\":\"1.50\",\"seq\":1}\n{\"title\":\"b\",\"price\":\"2\",\"seq\":2}\n"), "--route", "/items");
        ws.Write("lightapi.yaml", ws.FileStorage + MigrationSamples.After);

        var status = await Ok(ws, "migrate", "status");
        Assert.That(status.Output, Does.Match(@"001_rename_title\s+/items\s+pending"));
        Assert.That(status.Errors, Does.Contain("2 migration(s), 2 pending"));

        var unknown = await ws.RunAsync("migrate", "up", "nope");
        Assert.That(unknown.ExitCode, Is.EqualTo(2), unknown.ToString());
        Assert.That(unknown.Errors, Does.Contain("no migration 'nope' is declared (known: 001_rename_title, 002_price_number)"));

        var first = await Ok(ws, "migrate", "up", "001_rename_title");
        Assert.That(first.Output, Does.Contain("applied 001_rename_title (/items, eager)"));
        Assert.That(first.Errors, Does.Contain("/items: 2 record(s) read, 2 rewritten"));
        status = await Ok(ws, "migrate", "status");
        Assert.That(status.Output, Does.Match(@"001_rename_title\s+/items\s+applied").And.Match(@"002_price_number\s+/items\s+pending"));

        var rest = await Ok(ws, "migrate", "up");
        Assert.That(rest.Output, Does.Contain("applied 002_price_number"));
        var export = await Ok(ws, "export", "--route", "/items");
        Assert.That(export.Output, Does.Contain("\"name\":\"a\"").And.Contain("\"price\":1.50").And.Not.Contain("title"));
        Assert.That((await Ok(ws, "migrate", "up")).Output, Does.Contain("nothing to apply"));

        var down = await Ok(ws, "migrate", "down");
        Assert.That(down.Output, Does.Contain("reverted 002_price_number (/items)"));
        await Ok(ws, "migrate", "down");
        // Read with the config as it was before the migrations: a server that still declares them upgrades on read
        // (docs/migrations.md), so the stored shape shows only once the app is rolled back.
        ws.Write("lightapi.yaml", ws.FileStorage + MigrationSamples.Before);
        export = await Ok(ws, "export", "--route", "/items");
        Assert.That(export.Output, Does.Contain("\"title\":\"a\"").And.Contain("\"price\":\"1.50\""), "stored as before the migrations");
        ws.Write("lightapi.yaml", ws.FileStorage + MigrationSamples.After);
        var none = await ws.RunAsync("migrate", "down");
        Assert.That(none.ExitCode, Is.EqualTo(2), none.ToString());
        Assert.That(none.Errors, Does.Contain("no migration is applied: nothing to revert"));
    }

    [Test]
    public async Task Create_appends_a_stub_the_file_still_validates_with_and_writes_a_csharp_class_on_request()
    {
        using var ws = CliWorkspace.Create("");
        ws.Write("lightapi.yaml", ws.FileStorage + MigrationSamples.Before);
        var created = await Ok(ws, "migrate", "create", "Rename title");
        Assert.That(created.Output, Does.Match(@"added migration \d{14}_rename_title to lightapi.yaml"));
        var yaml = File.ReadAllText(Path.Combine(ws.Directory, "lightapi.yaml"));
        Assert.That(yaml, Does.Contain("migrations:\n  - id: ").And.Contain("_rename_title\n    route: /items\n"));
        await Ok(ws, "validate");
        await Ok(ws, "migrate", "create", "second");
        Assert.That((await Ok(ws, "migrate", "status")).Errors, Does.Contain("2 migration(s), 2 pending"));

        var cs = await Ok(ws, "migrate", "create", "split_name", "--csharp", "--route", "/items", "--dir", Path.Combine(ws.Directory, "Migrations"));
        var file = File.ReadAllText(Path.Combine(ws.Directory, "Migrations", "SplitName.cs"));
        Assert.That(file, Does.Contain("public sealed class SplitName : Migration").And.Contain("public override string Route => \"/items\";").And.Match("Id => \"\\d{14}_split_name\""));
        Assert.That(cs.Output, Does.Contain("app.Migrations.Add(new SplitName())"));
    }

    [Test]
    public async Task A_second_runner_exits_1_naming_the_holder_and_with_wait_runs_once_the_lease_is_released()
    {
        var prefix = S3TestServer.NewPrefix("cli-mig");
        using var ws = await SeededAsync(CliWorkspace.S3Storage(prefix), 5);
        ws.Write("lightapi.yaml", CliWorkspace.S3Storage(prefix) + MigrationSamples.After);
        using var store = new S3ObjectStore(S3TestServer.Options(prefix), new RequestCounter());
        var held = await MigrationLease.AcquireAsync(store, TimeProvider.System, TimeSpan.FromSeconds(30), wait: false);

        var refused = await ws.RunAsync("migrate", "up");
        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
        Assert.That(refused.Errors, Does.Contain($"another migration runner holds the lease: process {Environment.ProcessId} on").And.Contain("--wait"));
        Assert.That((await Ok(ws, "migrate", "status")).Errors, Does.Contain("2 pending"), "the refused runner changed nothing");

        // released only once the runner says it waits (a child process can take seconds to start on a loaded machine)
        var saysItWaits = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiting = Lights3Process.RunWatchingAsync(ws.Directory, ws.Env,
            line => { if (line.Contains("waiting for the migration lease")) saysItWaits.TrySetResult(); }, "migrate", "up", "--wait");
        Assert.That(await Task.WhenAny(saysItWaits.Task, waiting), Is.SameAs(saysItWaits.Task), "it waits while the lease is held");
        Assert.That((await Ok(ws, "migrate", "status")).Errors, Does.Contain("2 pending"), "nothing applied while it waits");
        await held.DisposeAsync();
        var run = await waiting;
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Output, Does.Contain("applied 002_price_number"));
    }

    [Test]
    public async Task Validate_refuses_a_field_made_required_or_retyped_without_a_migration_and_accepts_it_with_one()
    {
        using var ws = CliWorkspace.Create("");
        ws.Write("lightapi.yaml", ws.FileStorage + MigrationSamples.Before);
        await Ok(ws, "import", ws.Write("one.ndjson", "{\"title\":\"a\",\"price\":\"1\",\"seq\":1}\n"), "--route", "/items");
        await Ok(ws, "migrate", "up"); // nothing to apply; writes the baseline schema snapshot
        await Ok(ws, "validate");

        ws.Write("lightapi.yaml", ws.FileStorage + MigrationSamples.Before.Replace("seq: { type: int }", "seq: { type: int }\n      stock: { type: int }")
            .Replace("price: { type: str }", "price: { type: decimal }"));
        var refused = await ws.RunAsync("validate");
        Assert.That(refused.ExitCode, Is.EqualTo(2), refused.ToString());
        Assert.That(refused.Errors, Does.Contain("endpoints[0].fields.stock: field 'stock' is required and has no default, but records stored under the schema snapshot of"));
        Assert.That(refused.Errors, Does.Contain("endpoints[0].fields.price: field 'price' changed type from String to Decimal"));

        ws.Write("lightapi.yaml", ws.FileStorage + MigrationSamples.Before.Replace("seq: { type: int }", "seq: { type: int }\n      stock: { type: int }")
            .Replace("price: { type: str }", "price: { type: decimal }") + """
            migrations:
              - id: 001_stock
                route: /items
                steps:
                  - add_field: { name: stock, default: 0 }
                  - change_type: { field: price, to: number, from: string }

            """);
        await Ok(ws, "validate");
    }
}
