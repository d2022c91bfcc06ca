using System.CommandLine;
using LightS3.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LightS3.Cli.Commands;

/// <summary>
/// <c>lights3 gc</c>: one pass of the garbage collector the server runs every <c>LIGHTS3_GC_INTERVAL</c> (tombstones older
/// than the grace period, orphaned unique markers, the embedded store's temporary files), over every endpoint and the
/// auth module's collections; prints what it removed. Safe beside running servers (docs/locking.md).
/// </summary>
public static class GcCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliGlobals globals)
    {
        var command = new Command("gc", "collect tombstones, orphaned unique markers and temporary files once (grace: LIGHTS3_GC_GRACE)");
        command.SetAction(async (parse, ct) =>
        {
            await using var app = globals.Host.Build(globals.ConfigPath(parse));
            var grace = app.Services.GetRequiredService<IOptions<LightS3Options>>().Value.GarbageCollectionGrace;
            var report = await app.Services.GetRequiredService<GarbageCollectionService>().CollectOnceAsync(ct);
            globals.Output.Table(["REMOVED", "COUNT"],
            [
                ["tombstones", report.Tombstones.ToString()],
                ["orphaned unique markers freed", report.MarkersFreed.ToString()],
                ["free unique markers deleted", report.MarkersDeleted.ToString()],
                ["temporary files", report.TemporaryFiles.ToString()],
            ]);
            globals.Output.Note($"gc: grace period {grace}; anything younger was left in place");
            return ExitCodes.Ok;
        });
        return command;
    }
}
