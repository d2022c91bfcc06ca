using System.CommandLine;
using LightS3.Endpoints;
using LightS3.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Cli.Commands;

/// <summary>
/// <c>lights3 reindex ROUTE</c> (or the older <c>reindex FILE ROUTE</c>): rebuilds the index entries and unique markers of
/// one endpoint's collection, e.g. after adding <c>index: true</c> to a field of existing records. An unknown route is a
/// usage error listing the known ones.
/// </summary>
public static class ReindexCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliGlobals globals)
    {
        var args = new Argument<string[]>("route") { Description = "the endpoint's route, e.g. /orders (an older form takes the YAML file first: reindex FILE ROUTE)", Arity = new ArgumentArity(1, 2) };
        var command = new Command("reindex", "rebuild the indexes and unique markers of one endpoint") { args };
        command.SetAction(async (parse, ct) =>
        {
            var values = parse.GetValue(args)!;
            var (file, route) = values.Length == 2 ? (values[0], values[1]) : (null, values[0]);
            await using var app = globals.Host.Build(globals.ConfigPath(parse, file));
            RequireRoute(app, route);
            var report = await globals.Output.ProgressAsync($"reindex {route}", report =>
                app.RebuildIndexesAsync(route, new SynchronousProgress<IndexRebuildProgress>(p => report(p.Processed, p.Total)), ct));
            globals.Output.Success($"{route}: {report.Records} records, {report.EntriesWritten} entries written, {report.EntriesRemoved} stale entries removed");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Throws a usage error naming the known routes when <paramref name="route"/> is not served by <paramref name="app"/>.</summary>
    public static Endpoints.EndpointRuntime RequireRoute(LightS3App app, string route)
    {
        var registry = app.Services.GetRequiredService<EndpointRegistry>();
        var normalized = Model.EndpointModelValidator.NormalizeRoute(route);
        return registry.Endpoints.FirstOrDefault(e => string.Equals(e.Model.Route, normalized, StringComparison.OrdinalIgnoreCase))
            ?? throw new CliException($"no endpoint at '{route}' (known: {string.Join(", ", registry.Endpoints.Select(e => e.Model.Route).Order(StringComparer.Ordinal))})");
    }
}

/// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread (no synchronisation context hop).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
