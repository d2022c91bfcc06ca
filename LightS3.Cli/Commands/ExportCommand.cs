using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using LightS3.Cli.Transfer;
using LightS3.Documents;
using LightS3.Model;
using LightS3.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Cli.Commands;

/// <summary>
/// <c>lights3 export --route ROUTE [-o FILE] [--format ndjson|csv]</c>: every live record of one endpoint, streamed in id
/// (creation) order — one listing page and its records at a time, never the whole collection in memory. Records are
/// written as stored, with <c>id</c>, <c>created_at</c>, <c>updated_at</c> and <c>version</c>; <c>import</c> reads both
/// formats back (as new records).
/// </summary>
public static class ExportCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliGlobals globals)
    {
        var route = new Option<string>("--route", "-r") { Description = "the endpoint to export, e.g. /orders", Required = true };
        var output = new Option<string?>("--output", "-o") { Description = "the file to write (default: standard output)" };
        var format = new Option<string?>("--format") { Description = "ndjson or csv (default: from the output's extension, else ndjson)" };
        var command = new Command("export", "write every record of an endpoint as NDJSON or CSV, streamed") { route, output, format };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = globals.Host.Build(globals.ConfigPath(parse));
            var runtime = ReindexCommand.RequireRoute(app, parse.GetValue(route)!);
            var path = parse.GetValue(output);
            var kind = RecordFormats.For(parse.GetValue(format), path);
            await using var stream = path is null ? Console.OpenStandardOutput() : File.Create(path);
            await using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16);
            var store = app.Services.GetRequiredService<IObjectStore>();
            var fields = AutoFields.All.Where(n => n == AutoFields.Id).Concat(runtime.Model.Fields.Select(f => f.Name))
                .Concat(new[] { AutoFields.CreatedAt, AutoFields.UpdatedAt, AutoFields.Version }).ToList();
            if (kind == RecordFormat.Csv) await writer.WriteLineAsync(string.Join(",", fields.Select(Csv.Escape)));
            long count = 0;
            await foreach (var record in EnumerateAsync(store, runtime.Repository, ct))
            {
                var data = record.Data;
                await writer.WriteLineAsync(kind == RecordFormat.Csv
                    ? string.Join(",", fields.Select(f => Csv.Escape(Cell(data[f]))))
                    : data.ToJsonString());
                count++;
            }
            await writer.FlushAsync(ct);
            globals.Output.Note($"exported {count} records from {runtime.Model.Route}{(path is null ? "" : $" to {path}")}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The live records of a collection in key order, read as the API reads them (tombstones skipped).</summary>
    public static async IAsyncEnumerable<Record> EnumerateAsync(IObjectStore store, RecordRepository records, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var entry in store.EnumerateAsync(records.Layout.RecordsPrefix, null, ct))
        {
            if (records.Layout.IdOf(entry.Key) is not { } id || Tombstones.StateOf(entry) == Tombstones.ListedState.Tombstone) continue;
            if (await records.GetListedAsync(id, entry.ETag, ct) is { } record) yield return record;
        }
    }

    /// <summary>A CSV cell: strings as they are, other JSON values as JSON text, null as empty.</summary>
    private static string Cell(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => value.ToJsonString(),
    };
}
