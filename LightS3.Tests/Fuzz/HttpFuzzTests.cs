using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using LightS3.Storage;
using LightS3.Tests.Support;
using LightS3.Tests.Validation;
using Microsoft.Extensions.Logging;

namespace LightS3.Tests.Fuzz;

/// <summary>
/// Thousands of random and malformed requests (bodies, ids, headers, query strings, cursors) against an endpoint with
/// every field type, indexes, a unique patterned field and cursor pagination: no response is a 5xx, nothing is
/// logged as an error, and a rejected write changes nothing in the store. Seeded, so a failure names its request and
/// replays exactly.
/// </summary>
[TestFixture(TestStore.Memory, 4000, 20240611)]
[TestFixture(TestStore.File, 500, 7)]
public sealed class HttpFuzzTests(TestStore store, int requests, int seed)
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(25);

    private static async Task<Dictionary<string, string>> Snapshot(TestApp app)
    {
        var objects = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var entry in app.ObjectStore.EnumerateAsync("", null)) objects[entry.Key] = entry.ETag;
        return objects;
    }

    [Test]
    public async Task Random_and_malformed_requests_never_get_a_5xx_and_rejected_writes_change_nothing()
    {
        var logs = new CapturedLogs();
        await using var app = await TestApp.StartAsync(store, a => a.Register<FuzzItem>("/items"), o => o.MaxBodyBytes = 16 * 1024, configureServices: logs.AddTo, socket: true);
        var inputs = new FuzzInputs(seed);
        var ids = new List<string>();
        var etags = new List<string>();
        var cursors = new List<string>();
        var statuses = new Dictionary<int, int>();
        var failures = new List<string>();
        var watch = Stopwatch.StartNew();
        var sent = 0;

        for (; sent < requests && watch.Elapsed < Budget && failures.Count < 10; sent++)
        {
            var method = inputs.Pick([HttpMethod.Get, HttpMethod.Get, HttpMethod.Post, HttpMethod.Post, HttpMethod.Put, HttpMethod.Patch, HttpMethod.Delete, HttpMethod.Head, HttpMethod.Options]);
            var onItem = method != HttpMethod.Post ? !inputs.Chance(3) : inputs.Chance(10);
            var path = onItem ? "/items/" + Uri.EscapeDataString(inputs.Id(ids)) : "/items";
            if (method == HttpMethod.Get && !onItem) path += "?" + inputs.Query(cursors);
            var request = new HttpRequestMessage(method, path);
            var writes = method == HttpMethod.Post || method == HttpMethod.Put || method == HttpMethod.Patch || method == HttpMethod.Delete;
            if (writes && method != HttpMethod.Delete)
            {
                request.Content = new ByteArrayContent(inputs.Body());
                if (inputs.ContentType() is { } type) request.Content.Headers.TryAddWithoutValidation("Content-Type", FuzzInputs.Ascii(type));
            }
            if (inputs.Chance(3)) request.Headers.TryAddWithoutValidation("If-Match", inputs.Tag(etags));
            if (inputs.Chance(6)) request.Headers.TryAddWithoutValidation("If-None-Match", inputs.Tag(etags));
            if (inputs.Chance(10)) request.Headers.TryAddWithoutValidation("Accept", inputs.Pick(["application/xml", "*/*", "text/html;q=0", "\u00ff"]) is var accept ? FuzzInputs.Ascii(accept) : null);

            var before = writes ? await Snapshot(app) : null;
            HttpResponseMessage response;
            try
            {
                response = await app.Client.SendAsync(request);
            }
            catch (HttpRequestException e)
            {
                failures.Add($"#{sent} {method} {path}: connection failed: {e.Message}");
                continue;
            }
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var text = await response.Content.ReadAsStringAsync();
            if (status >= 500) failures.Add($"#{sent} {method} {path} -> {status}: {text}");
            if (status >= 400 && before is not null)
            {
                var after = await Snapshot(app);
                var changed = after.Where(a => !before.TryGetValue(a.Key, out var e) || e != a.Value).Select(a => a.Key)
                    .Concat(before.Keys.Where(k => !after.ContainsKey(k))).ToList();
                if (changed.Count > 0) failures.Add($"#{sent} {method} {path} -> {status} changed {string.Join(", ", changed)}");
            }
            if (status is 200 or 201 && text.StartsWith('{') && JsonNode.Parse(text) is JsonObject json)
            {
                if (json["id"]?.GetValue<string>() is { } id && !ids.Contains(id)) ids.Add(id);
                if (response.Headers.ETag is { } etag) etags.Add(etag.Tag);
                foreach (var link in new[] { "next", "previous" })
                    if (json[link] is JsonValue v && v.TryGetValue<string>(out var cursor)) cursors.Add(cursor);
            }
            if (status == 204) ids.Remove(Uri.UnescapeDataString(path["/items/".Length..]));
        }

        var summary = string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"));
        TestContext.Out.WriteLine($"{store}: {sent} requests in {watch.Elapsed.TotalSeconds:F1} s; {summary}; {ids.Count} live records, {cursors.Count} cursors seen");
        Assert.That(failures, Is.Empty, summary);
        Assert.That(logs.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => $"{e.Message} {e.Exception}"), Is.Empty);
        Assert.That(sent, Is.GreaterThanOrEqualTo(Math.Min(requests, 300)), "enough requests ran within the budget");
        Assert.That(statuses.Keys.Count(s => s is 200 or 201), Is.EqualTo(2), "the run also exercised successful reads and creates");
        Assert.That(statuses.Keys.Count(s => s is >= 400 and < 500), Is.GreaterThanOrEqualTo(5), "and a spread of rejections");
    }
}
