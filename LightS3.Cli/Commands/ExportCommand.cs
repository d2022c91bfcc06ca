using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using LightS3.Cli.Transfer;
using LightS3.Documents;
using LightS3.Shaping;
using LightS3.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Cli.Commands;

/// <summary>
/// <c>lights3 export --route ROUTE [-o FILE] [--format ndjson|csv]</c>: every live record of one endpoint, streamed in id
/// (creation) order — one listing page and its records at a time, never the whole collection in memory. Records are
/// written as stored, with <c>id</c>, <c>created_at</c>, <c>updated_at</c> and <c>version</c>; CSV has the columns and
/// cells of the endpoint's <c>_export?format=csv</c> (nested objects as dotted columns). <c>import</c> reads both formats
/// back (as new records).
/// </summary>
public static class ExportCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliGlobals globals)
    {
        var route = new Option<string>("--route", "-r") { Description = "the endpoint to export, e.g. /orders", Required = true };
        var output = new Option<string?>("--output", "-o") { Description = "the file to write (default: standard output)" };
        var format = new Option<string?>("--format") { Description = "ndjson or csv (default: from the output's extension, else ndjson)" };
        var raw = new Option<bool>("--no-escape-formulas") { Description = "CSV: write strings starting with = + - @ tab CR as they are (default: a leading ' so spreadsheets show them as text)" };
        var command = new Command("export", "write every record of an endpoint as NDJSON or CSV, streamed") { route, output, format, raw };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = globals.Host.Build(globals.ConfigPath(parse));
            var runtime = ReindexCommand.RequireRoute(app, parse.GetValue(route)!);
            var path = parse.GetValue(output);
            var kind = RecordFormats.For(parse.GetValue(format), path);
            await using var stream = path is null ? Console.OpenStandardOutput() : File.Create(path);
            await using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16);
            var store = app.Services.GetRequiredService<IObjectStore>();
            // the endpoint's CSV columns and cells (nested objects as dotted columns), CRLF as RFC 4180 writes it
            var columns = kind == RecordFormat.Csv ? CsvColumns.Stored(runtime.Model, !parse.GetValue(raw)) : null;
            if (columns is not null) await writer.WriteAsync(columns.Header() + "\r\n");
            var row = new StringBuilder();
            long count = 0;
            await foreach (var record in EnumerateAsync(store, runtime.Repository, ct))
            {
                if (columns is null) await writer.WriteLineAsync(record.Data.ToJsonString());
                else
                {
                    row.Clear();
                    columns.AppendRow(row, record.ToUtf8()); // the stored bytes, as the endpoint's export reads them
                    await writer.WriteAsync(row, ct);
                }
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
}
