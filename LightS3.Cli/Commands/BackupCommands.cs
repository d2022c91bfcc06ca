using System.CommandLine;
using System.Diagnostics;
using LightS3.Cli.Doctor;
using LightS3.Cli.Transfer;
using LightS3.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Cli.Commands;

/// <summary>
/// <c>lights3 backup DEST</c> and <c>lights3 restore SRC</c>: the whole LightS3 prefix of the configured store to a directory
/// or a <c>.tar</c> file and back, verified (counts, MD5 ETags, SHA-256) and resumable (see <see cref="BackupRunner"/>).
/// Restore into another store or prefix by pointing the configuration (or <c>LIGHTS3_STORAGE_URL</c>) at it; a restore then
/// re-derives unique claims and index entries from the restored records (<see cref="InvariantChecks"/>) and reports what it repaired.
/// </summary>
public static class BackupCommands
{
    /// <summary>Creates <c>backup</c>.</summary>
    public static Command Backup(CliGlobals globals)
    {
        var destination = new Argument<string>("destination") { Description = "a directory (created; resumable), or a file ending in .tar" };
        var parallel = new Option<int>("--parallel") { Description = "objects copied at once (default 8)", DefaultValueFactory = _ => 8 };
        var command = new Command("backup", "copy every object of the store to a directory or tar file, with a verified manifest") { destination, parallel };
        command.SetAction(async (parse, ct) =>
        {
            var config = globals.Host.Read(globals.ConfigPath(parse));
            await using var app = globals.Host.BuildServicesOnly(config);
            var runner = new BackupRunner(app.Services.GetRequiredService<IObjectStore>(), Math.Clamp(parse.GetValue(parallel), 1, 64));
            var watch = Stopwatch.StartNew();
            var dest = parse.GetValue(destination)!;
            var report = await globals.Output.ProgressAsync($"backup to {dest}", p => runner.BackupAsync(dest, p, ct));
            return Finish(globals, report, $"backup: {report.Objects} objects ({report.Bytes} bytes) copied, {report.Skipped} already there, {report.Verified} verified against the manifest, in {watch.Elapsed.TotalSeconds:0.0} s");
        });
        return command;
    }

    /// <summary>Creates <c>restore</c>.</summary>
    public static Command Restore(CliGlobals globals)
    {
        var source = new Argument<string>("source") { Description = "a backup directory or .tar file" };
        var overwrite = new Option<bool>("--overwrite") { Description = "replace objects that exist with other bytes (default: keep them and report)" };
        var parallel = new Option<int>("--parallel") { Description = "objects written at once (default 8)", DefaultValueFactory = _ => 8 };
        var command = new Command("restore", "write a backup's objects into the configured store, then verify the store against it") { source, overwrite, parallel };
        command.SetAction(async (parse, ct) =>
        {
            var config = globals.Host.Read(globals.ConfigPath(parse));
            await using var app = globals.Host.BuildServicesOnly(config);
            var runner = new BackupRunner(app.Services.GetRequiredService<IObjectStore>(), Math.Clamp(parse.GetValue(parallel), 1, 64));
            var watch = Stopwatch.StartNew();
            var src = parse.GetValue(source)!;
            var report = await globals.Output.ProgressAsync($"restore from {src}", p => runner.RestoreAsync(src, parse.GetValue(overwrite), p, ct));
            // a backup taken under writes copies a record and its marker at different moments: re-derive the claims and
            // entries from the restored records (nothing writes the new store yet, so no claim is in flight)
            var invariants = await InvariantChecks.RunAsync(app, config.Endpoints.Select(e => e.Model), repair: true, storeInUse: false, ct);
            globals.Output.Note(InvariantChecks.Summary(invariants));
            report = report with { Problems = [.. report.Problems, .. invariants.SelectMany(r => r.Unresolved)] };
            return Finish(globals, report, $"restore: {report.Objects} objects ({report.Bytes} bytes) written, {report.Skipped} already there, {report.Verified} verified in the store, in {watch.Elapsed.TotalSeconds:0.0} s");
        });
        return command;
    }

    private static int Finish(CliGlobals globals, TransferReport report, string summary)
    {
        foreach (var problem in report.Problems) globals.Output.Line(problem);
        if (report.Problems.Count > 0)
        {
            globals.Output.Problem($"{summary}; {report.Problems.Count} problem(s)");
            return ExitCodes.Failure;
        }
        globals.Output.Note(summary);
        return ExitCodes.Ok;
    }
}
