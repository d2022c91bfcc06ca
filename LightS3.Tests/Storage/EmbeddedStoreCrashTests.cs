using System.Collections.Concurrent;
using System.Net.Http.Json;
using LightS3.Storage;
using LightS3.Storage.Embedded;
using LightS3.Tests.Support;

namespace LightS3.Tests.Storage;

/// <summary><c>kill -9</c> of a process writing to the embedded SQLite store: nothing acknowledged is lost, nothing is corrupt.</summary>
[Category(External.Category)]
public sealed class EmbeddedStoreCrashTests
{
    [Test]
    public async Task Killing_a_writing_process_loses_no_acknowledged_write_and_the_database_reopens_intact()
    {
        var dir = TestStores.NewDirectory();
        try
        {
            var environment = new Dictionary<string, string> { ["LIGHTS3_STORAGE"] = "embedded", ["LIGHTS3_DATA_DIR"] = dir };
            var acknowledged = new ConcurrentDictionary<string, long>(); // id -> last acknowledged version
            var writer = await ExampleProcess.StartAsync(environment);
            using var stop = new CancellationTokenSource();
            var load = Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        var created = await writer.Client.PostAsJsonAsync("/books", new { title = $"w{w} #{i}", author = "crash" });
                        if ((int)created.StatusCode != 201) continue;
                        var id = (await created.JsonAsync())["id"]!.GetValue<string>();
                        acknowledged[id] = 1;
                        var patched = await writer.Client.PatchAsJsonAsync($"/books/{id}", new { title = $"w{w} #{i} updated", version = 1 });
                        if ((int)patched.StatusCode == 200) acknowledged[id] = 2;
                    }
                    catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException or ObjectDisposedException)
                    {
                        return; // the process was killed (and its client disposed) mid-request: that write was never acknowledged
                    }
                }
            })).ToList();

            await Task.Delay(TimeSpan.FromSeconds(2));
            var countAtKill = acknowledged.Count;
            await writer.DisposeAsync(); // SIGKILL, mid-load
            stop.Cancel();
            await Task.WhenAll(load);
            Assert.That(countAtKill, Is.GreaterThan(20), "the child process was under write load when killed");
            Assert.That(File.Exists(Path.Combine(dir, EmbeddedSchema.FileName + "-wal")), "the kill left a write-ahead log to recover");

            await using (var reopened = new SqliteObjectStore(dir, new RequestCounter()))
                Assert.That(await reopened.CheckIntegrityAsync(), Is.EqualTo("ok"));

            await using var restarted = await ExampleProcess.StartAsync(environment);
            foreach (var (id, version) in acknowledged)
            {
                var read = await restarted.Client.GetAsync($"/books/{id}");
                Assert.That((int)read.StatusCode, Is.EqualTo(200), $"acknowledged book {id} lost");
                Assert.That((await read.JsonAsync())["version"]!.GetValue<long>(), Is.GreaterThanOrEqualTo(version), $"acknowledged update of {id} lost");
            }
            Assert.That(await restarted.Client.PostAsJsonAsync("/books", new { title = "after", author = "restart" }).StatusAsync(), Is.EqualTo(201));
        }
        finally
        {
            TestStores.TryDelete(dir);
        }
    }
}
