using System.CommandLine;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using LightS3.Cli.Transfer;
using LightS3.Endpoints;
using LightS3.Hosting;
using LightS3.Model;
using LightS3.Validation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LightS3.Cli.Commands;

/// <summary>
/// <c>lights3 import FILE --route ROUTE</c>: creates one record per NDJSON line or CSV row through the API's own write path —
/// the app runs in-process on a loopback port and each record is a <c>POST</c>, so validation, unique fields, indexes,
/// hooks and cache invalidation are exactly the API's. A per-line report (rejected lines on standard output, every line
/// with <c>--report</c>); <c>--dry-run</c> validates without writing; resumable from a checkpoint file.
/// </summary>
public static class ImportCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliGlobals globals)
    {
        var file = new Argument<string>("file") { Description = "an NDJSON file (one JSON object per line) or a CSV file with a header row" };
        var route = new Option<string>("--route", "-r") { Description = "the endpoint to create the records in, e.g. /orders", Required = true };
        var format = new Option<string?>("--format") { Description = "ndjson or csv (default: from the extension, .csv is CSV)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "validate every record as POST would (and unique values against the store) without writing" };
        var parallel = new Option<int>("--parallel") { Description = "records in flight at once (default 8)", DefaultValueFactory = _ => 8 };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "the checkpoint file (default FILE.lights3-import)" };
        var restart = new Option<bool>("--restart") { Description = "ignore an existing checkpoint and start from the first line" };
        var report = new Option<string?>("--report") { Description = "write one JSON line per record (line, status, id, detail) to this file" };
        var raw = new Option<bool>("--no-escape-formulas") { Description = "CSV written without formula escaping: take cells as they are (default: remove the one leading ' that exports add)" };
        var command = new Command("import", "create records from an NDJSON or CSV file through the API's write path") { file, route, format, dryRun, parallel, checkpoint, restart, report, raw };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path)) throw new CliException($"{path}: no such file");
            var width = parse.GetValue(parallel);
            if (width is < 1 or > 256) throw new CliException("--parallel must be 1..256");
            var dry = parse.GetValue(dryRun);
            await using var app = globals.Host.Build(globals.ConfigPath(parse), ["--urls", "http://127.0.0.1:0"]);
            var runtime = ReindexCommand.RequireRoute(app, parse.GetValue(route)!);
            var items = ImportSource.Read(path, RecordFormats.For(parse.GetValue(format), path), runtime.Model, !parse.GetValue(raw));
            ImportCheckpoint? progress = null;
            if (!dry)
            {
                var checkpointPath = parse.GetValue(checkpoint) ?? ImportCheckpoint.DefaultPath(path);
                if (parse.GetValue(restart) && File.Exists(checkpointPath)) File.Delete(checkpointPath);
                progress = ImportCheckpoint.Load(checkpointPath, runtime.Model.Route, new FileInfo(path).Length);
                if (progress.NextLine > 1) globals.Output.Note($"resuming at line {progress.NextLine} ({checkpointPath})");
                var from = progress.NextLine;
                items = items.Where(i => i.Line >= from);
            }
            Func<ImportItem, Task<ImportOutcome>> send;
            HttpClient? client = null;
            if (dry) send = new DryRun(runtime, app.Services, ct).CheckAsync;
            else
            {
                await app.StartAsync(ct);
                client = Client(app, runtime);
                send = item => PostAsync(client, runtime.Model.Route, item, ct);
            }
            await using var reportFile = parse.GetValue(report) is { } r ? new StreamWriter(r, append: !dry && progress!.NextLine > 1) : null;
            var watch = Stopwatch.StartNew();
            long accepted = 0, rejected = 0;
            var unavailable = false;
            await globals.Output.ProgressAsync(dry ? "dry run" : $"import {runtime.Model.Route}", async tick =>
            {
                foreach (var batch in items.Chunk(width))
                {
                    var outcomes = await SendBatchAsync(batch, send, runtime.Model.UniqueFields.ToList());
                    foreach (var o in outcomes)
                    {
                        if (reportFile is not null) await reportFile.WriteLineAsync(o.ToJson());
                        if (o.Status == 503) { unavailable = true; continue; }
                        if (o.Accepted) accepted++;
                        else { rejected++; globals.Output.Line(o.ToString()); }
                    }
                    if (unavailable)
                    {
                        // the batch is redone on resume: lines of it that were created meanwhile may be created twice (docs/cli.md)
                        progress?.Save(batch[0].Line);
                        break;
                    }
                    progress?.Save(batch[^1].Line + 1);
                    tick(accepted + rejected, null);
                }
                return 0;
            });
            client?.Dispose();
            if (!dry) await app.StopAsync(CancellationToken.None);
            var seconds = Math.Max(watch.Elapsed.TotalSeconds, 0.001);
            var summary = dry
                ? $"dry run: {accepted} valid, {rejected} rejected"
                : $"imported {accepted} records into {runtime.Model.Route}, {rejected} rejected, in {seconds:0.0} s ({accepted / seconds:0} records/s)";
            if (unavailable) throw new CliException($"{summary}; stopped: storage is unavailable — run the same command again to resume", ExitCodes.StorageUnavailable);
            // the summary goes to standard error, beside progress: standard output is the per-line report
            if (rejected > 0) globals.Output.Problem(summary);
            else globals.Output.Note(summary);
            return rejected > 0 ? ExitCodes.Failure : ExitCodes.Ok;
        });
        return command;
    }

    private static HttpClient Client(LightS3App app, EndpointRuntime runtime)
    {
        var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromMinutes(2) };
        if ((runtime.Model.Authentication ?? AuthSpec.Open).For(HttpVerbs.Post).Permission != AccessRule.AllowAnyName)
        {
            // the import acts as an admin of this deployment: a token signed with its own key
            var jwt = app.Services.GetRequiredService<IOptions<LightS3Options>>().Value.Jwt;
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TokenCommand.Mint(jwt, "lights3-import", true, [], TimeSpan.FromDays(1), TimeProvider.System));
        }
        return client;
    }

    private static async Task<ImportOutcome> PostAsync(HttpClient client, string route, ImportItem item, CancellationToken ct)
    {
        if (item.Body is null) return new ImportOutcome(item.Line, 400, null, item.Error);
        using var response = await client.PostAsync(route, new StringContent(item.Body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"), ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        JsonObject? json = null;
        try { json = JsonNode.Parse(text) as JsonObject; } catch (System.Text.Json.JsonException) { }
        var status = (int)response.StatusCode;
        return status == 201
            ? new ImportOutcome(item.Line, status, json?["id"]?.GetValue<string>(), null)
            : new ImportOutcome(item.Line, status, null, Describe(json) ?? text);
    }

    /// <summary>A problem's detail and per-field errors on one line.</summary>
    private static string? Describe(JsonObject? problem)
    {
        if (problem is null) return null;
        var detail = problem["detail"]?.GetValue<string>() ?? problem["title"]?.GetValue<string>();
        if (problem["errors"] is JsonObject errors && errors.Count > 0)
            return string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", (e.Value as JsonArray)?.Select(m => m?.ToString()) ?? [e.Value?.ToString()])}"));
        return detail;
    }

    /// <summary>
    /// Sends a batch in parallel, except that a line sharing a unique value with an earlier line of the batch waits for it:
    /// the earlier line wins, as it would importing one line at a time.
    /// </summary>
    private static async Task<ImportOutcome[]> SendBatchAsync(ImportItem[] batch, Func<ImportItem, Task<ImportOutcome>> send, IReadOnlyList<Model.FieldModel> unique)
    {
        var tasks = new Task<ImportOutcome>[batch.Length];
        var holders = new Dictionary<string, Task>(StringComparer.Ordinal);
        for (var i = 0; i < batch.Length; i++)
        {
            var item = batch[i];
            var keys = unique.Select(f => item.Body?[f.Name] is { } v && Documents.UniqueMarkers.TextOf(v) is { } text ? $"{f.Name}\u0000{text}" : null)
                .OfType<string>().ToList();
            var earlier = keys.Where(holders.ContainsKey).Select(k => holders[k]).ToArray();
            tasks[i] = earlier.Length == 0 ? send(item) : AfterAsync(earlier, item, send);
            foreach (var key in keys) holders[key] = tasks[i];
        }
        return await Task.WhenAll(tasks);

        static async Task<ImportOutcome> AfterAsync(Task[] earlier, ImportItem item, Func<ImportItem, Task<ImportOutcome>> send)
        {
            await Task.WhenAll(earlier.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
            return await send(item);
        }
    }

    /// <summary>The dry run's check of one record: POST's validation, then unique values against the store and the file.</summary>
    private sealed class DryRun(EndpointRuntime runtime, IServiceProvider services, CancellationToken ct)
    {
        private readonly Dictionary<string, HashSet<string>> _seen = runtime.Model.UniqueFields.ToDictionary(f => f.Name, _ => new HashSet<string>(StringComparer.Ordinal));

        public async Task<ImportOutcome> CheckAsync(ImportItem item)
        {
            if (item.Body is null) return new ImportOutcome(item.Line, 400, null, item.Error);
            JsonObject fields;
            try
            {
                fields = await runtime.ValidateCreateAsync(services, item.Body, ct);
            }
            catch (RecordValidationException e)
            {
                return new ImportOutcome(item.Line, 422, null, string.Join("; ", e.Errors.Select(kv => $"{kv.Key}: {string.Join(" ", kv.Value)}")));
            }
            foreach (var field in runtime.Model.UniqueFields)
            {
                if (Documents.UniqueMarkers.TextOf(fields[field.Name]) is not { } value) continue;
                bool fresh;
                lock (_seen) fresh = _seen[field.Name].Add(value);
                if (!fresh || await runtime.Repository.FindByUniqueAsync(field.Name, value, ct) is not null)
                    return new ImportOutcome(item.Line, 409, null, $"a record with this {field.Name} already exists{(fresh ? "" : " (earlier in the file)")}");
            }
            return new ImportOutcome(item.Line, 200, null, null);
        }
    }
}
