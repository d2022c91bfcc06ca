using System.CommandLine;
using LightS3.Endpoints;
using LightS3.Hosting;
using LightS3.Migrations;
using LightS3.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Cli.Commands;

/// <summary>
/// <c>lights3 migrate create|status|up|down|finish</c> (docs/migrations.md): the app's versioned migrations, applied
/// by one runner at a time. Exit 1 when another runner holds the lease (unless <c>--wait</c>) or a record cannot be
/// migrated; 2 for an unknown target, nothing to revert, an irreversible migration.
/// </summary>
public static class MigrateCommand
{
    /// <summary>Creates the command group.</summary>
    public static Command Create(CliGlobals globals)
    {
        var command = new Command("migrate", "versioned migrations of stored records: create, status, up, down, finish (docs/migrations.md)");
        command.Subcommands.Add(MigrateCreateCommand.Create(globals));
        command.Subcommands.Add(Status(globals));
        command.Subcommands.Add(Up(globals));
        command.Subcommands.Add(Down(globals));
        command.Subcommands.Add(Finish(globals));
        return command;
    }

    private static Command Status(CliGlobals globals)
    {
        var command = new Command("status", "list the declared migrations and what is applied (from the log in the store)");
        command.SetAction(async (parse, ct) =>
        {
            await using var app = globals.Host.Build(globals.ConfigPath(parse));
            var rows = await Runner(app).StatusAsync(ct);
            globals.Output.Table(["ID", "ROUTE", "STATE", "APPLIED", "RECORDS", "DESCRIPTION"], rows.Select(r => (IReadOnlyList<string>)
            [
                r.Id, r.Route, r.State, r.Applied is { } a ? a.AppliedAt.ToString("u") : "-", r.Applied is { Finished: true } f ? f.Records.ToString() : "-", r.Description,
            ]));
            var pending = rows.Count(r => r.State == "pending");
            var lazy = rows.Count(r => r.State == "lazy");
            globals.Output.Note($"migrate status: {rows.Count} migration(s), {pending} pending{(lazy > 0 ? $", {lazy} applied lazily (run 'lights3 migrate finish')" : "")}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Up(CliGlobals globals)
    {
        var target = new Argument<string?>("target") { Description = "apply up to this migration id, inclusive (default: all pending)", Arity = ArgumentArity.ZeroOrOne };
        var lazy = new Option<bool>("--lazy") { Description = "do not rewrite records: they upgrade on read and on their next write ('migrate finish' completes it)" };
        var (wait, ttl, parallel) = LeaseOptions();
        var command = new Command("up", "apply pending migrations (eager by default: every record rewritten, resumable)") { target, lazy, wait, ttl, parallel };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = globals.Host.Build(globals.ConfigPath(parse));
            var runner = Runner(app);
            var (applied, passes) = await Run(globals, "migrate up", options => runner.UpAsync(parse.GetValue(target), parse.GetValue(lazy), options, ct), parse, wait, ttl, parallel);
            await runner.EnsureSnapshotsAsync(ct);
            if (applied.Count == 0) globals.Output.Success("migrate up: nothing to apply");
            foreach (var m in applied) globals.Output.Success($"applied {m.Id} ({m.Route}, {(parse.GetValue(lazy) ? "lazy" : "eager")}): {m.Description}");
            foreach (var p in passes) Report(globals, p);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Down(CliGlobals globals)
    {
        var (wait, ttl, parallel) = LeaseOptions();
        var command = new Command("down", "revert the last applied migration (every record moved back)") { wait, ttl, parallel };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = globals.Host.Build(globals.ConfigPath(parse));
            var (reverted, pass) = await Run(globals, "migrate down", options => Runner(app).DownAsync(options, ct), parse, wait, ttl, parallel);
            globals.Output.Success($"reverted {reverted.Id} ({reverted.Route}): {reverted.Description}");
            Report(globals, pass);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Finish(CliGlobals globals)
    {
        var (wait, ttl, parallel) = LeaseOptions();
        var command = new Command("finish", "rewrite every record of lazily applied migrations now") { wait, ttl, parallel };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = globals.Host.Build(globals.ConfigPath(parse));
            var passes = await Run(globals, "migrate finish", options => Runner(app).FinishAsync(options, ct), parse, wait, ttl, parallel);
            if (passes.Count == 0) globals.Output.Success("migrate finish: no lazily applied migration to finish");
            foreach (var p in passes) Report(globals, p);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static (Option<bool> Wait, Option<int> LeaseTtl, Option<int> Parallel) LeaseOptions() =>
    (
        new Option<bool>("--wait") { Description = "wait while another runner holds the lease, instead of exiting 1" },
        new Option<int>("--lease-ttl") { Description = "seconds before the lease of a runner that died lapses (default 30)", DefaultValueFactory = _ => 30 },
        new Option<int>("--parallel") { Description = "records rewritten at a time (default 16)", DefaultValueFactory = _ => 16 }
    );

    /// <summary>
    /// Writes the schema snapshot of every endpoint that has none (the baseline 'validate' compares with); best effort:
    /// a store that is down does not stop the server here (it answers 503 until the store is back).
    /// </summary>
    public static async Task WriteBaselineSnapshotsAsync(LightS3App app, CancellationToken ct)
    {
        try
        {
            await Runner(app).EnsureSnapshotsAsync(ct);
        }
        catch (Exception e) when (e is StorageException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // the next serve or migrate writes it
        }
    }

    /// <summary>The schema problems of every endpoint of <paramref name="app"/> (see <see cref="SchemaSnapshots.CheckAsync"/>).</summary>
    public static async Task<IReadOnlyList<SchemaProblem>> CheckSnapshotsAsync(LightS3App app, CancellationToken ct)
    {
        var store = app.Services.GetRequiredService<IObjectStore>();
        var catalog = app.Services.GetRequiredService<MigrationCatalog>();
        var problems = new List<SchemaProblem>();
        foreach (var runtime in app.Services.GetRequiredService<EndpointRegistry>().Endpoints)
            problems.AddRange(await SchemaSnapshots.CheckAsync(store, runtime.Model, catalog.For(runtime.Model.Route), ct));
        return problems;
    }

    private static MigrationRunner Runner(LightS3App app) => new(
        app.Services.GetRequiredService<EndpointRegistry>(), app.Services.GetRequiredService<MigrationCatalog>(),
        app.Services.GetRequiredService<IObjectStore>(), app.Services.GetRequiredService<TimeProvider>());

    /// <summary>Runs a runner operation with the lease options and a progress display; turns its errors into exit codes.</summary>
    private static async Task<T> Run<T>(CliGlobals globals, string title, Func<MigrationRunOptions, Task<T>> work, ParseResult parse,
        Option<bool> wait, Option<int> ttl, Option<int> parallel)
    {
        if (parse.GetValue(ttl) < 1) throw new CliException("--lease-ttl must be at least 1 second");
        if (parse.GetValue(parallel) < 1) throw new CliException("--parallel must be at least 1");
        try
        {
            return await globals.Output.ProgressAsync(title, report => work(new MigrationRunOptions
            {
                Wait = parse.GetValue(wait),
                LeaseTtl = TimeSpan.FromSeconds(parse.GetValue(ttl)),
                Parallelism = parse.GetValue(parallel),
                Waiting = globals.Output.Note,
                Progress = new SynchronousProgress<MigrationProgress>(p => report(p.Processed, p.Total)),
            }));
        }
        catch (MigrationLeaseHeldException e)
        {
            throw new CliException(e.Message, ExitCodes.Failure);
        }
        catch (Exception e) when (e is MigrationRecordException or MigrationLeaseLostException)
        {
            throw new CliException($"{title} stopped: {e.Message} (the records done so far stay migrated; run again to resume)", ExitCodes.Failure);
        }
        catch (MigrationUsageException e)
        {
            throw new CliException(e.Message, ExitCodes.Usage);
        }
    }

    private static void Report(CliGlobals globals, MigrationPass p) =>
        globals.Output.Note($"{p.Route}: {p.Seen} record(s) read, {p.Migrated} rewritten{(p.Resumed ? $" (resumed from a checkpoint; {p.MigratedInAll} in all)" : "")}, {p.Retried} retried after a concurrent write");
}
