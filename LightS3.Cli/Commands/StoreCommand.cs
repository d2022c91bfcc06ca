using System.CommandLine;
using LightS3.Storage.Embedded;

namespace LightS3.Cli.Commands;

/// <summary>
/// <c>lights3 store ...</c>: maintenance of the store itself. <c>store migrate DIR</c> imports a data directory of the
/// older directory-of-files store into the embedded SQLite store (docs/storage.md).
/// </summary>
public static class StoreCommand
{
    /// <summary>The subcommands of <c>store</c>.</summary>
    public static IEnumerable<Command> Subcommands(CliGlobals globals) => [Migrate(globals)];

    /// <summary>Creates the command.</summary>
    public static Command Create(CliGlobals globals)
    {
        var command = new Command("store", "store maintenance: migrate a file-store data directory into the embedded SQLite store");
        foreach (var sub in Subcommands(globals)) command.Subcommands.Add(sub);
        return command;
    }

    private static Command Migrate(CliGlobals globals)
    {
        var from = new Argument<string>("dir") { Description = "the file store's data directory (the one holding objects/)" };
        var to = new Option<string?>("--to") { Description = "the SQLite store's data directory (default: the same directory; lights3.db is created beside objects/)" };
        var command = new Command("migrate", "import a directory-of-files data directory into the embedded SQLite store (safe to re-run)") { from, to };
        command.SetAction(async (parse, ct) =>
        {
            var source = parse.GetValue(from)!;
            var target = parse.GetValue(to) ?? source;
            if (!Directory.Exists(Path.Combine(source, "objects")))
                throw new CliException($"{source} is not a file-store data directory: it has no objects/ folder");
            var imported = await globals.Output.ProgressAsync("importing objects", report =>
                EmbeddedStoreMigration.ImportFileStoreAsync(source, target, new Progress<long>(n => report(n, null)), ct));
            globals.Output.Success($"store migrate: {imported} objects imported into {Path.Combine(Path.GetFullPath(target), "lights3.db")}; "
                + $"the file store's files in {source} are left in place (delete objects/, .locks/ and .tmp/ once satisfied)");
            return ExitCodes.Ok;
        });
        return command;
    }
}
