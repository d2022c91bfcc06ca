using LightS3.Tests.Support;

namespace LightS3.Tests.Concurrency;

/// <summary>Two separate OS processes of the Books example sharing one bucket (or one data directory).</summary>
[Category(External.Category)] // child processes, on every store
[TestFixture(TestStore.S3)]
[TestFixture(TestStore.File)]
[TestFixture(TestStore.Embedded)]
public sealed class CrossProcessLockingTests(TestStore store)
{
    private Dictionary<string, string> Environment(string location) => store == TestStore.S3
        ? new()
        {
            ["LIGHTS3_STORAGE"] = "s3",
            ["LIGHTS3_S3_BUCKET"] = S3TestServer.Bucket,
            ["LIGHTS3_S3_PREFIX"] = location,
            ["AWS_ENDPOINT_URL"] = S3TestServer.Endpoint,
        }
        : new() { ["LIGHTS3_STORAGE"] = store == TestStore.File ? "files" : "sqlite", ["LIGHTS3_DATA_DIR"] = location };

    [Test]
    public async Task Racing_patches_through_two_processes_have_exactly_one_winner()
    {
        var location = TestStores.NewLocation(store);
        try
        {
            await using var a = await ExampleProcess.StartAsync(Environment(location));
            await using var b = await ExampleProcess.StartAsync(Environment(location));
            var created = await a.Client.PostAsync("/books", System.Net.Http.Json.JsonContent.Create(new { title = "shared", author = "a" }));
            var id = (await created.JsonAsync())["id"]!.GetValue<string>();

            var statuses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
            {
                var client = i % 2 == 0 ? a.Client : b.Client;
                var request = new HttpRequestMessage(HttpMethod.Patch, $"/books/{id}")
                {
                    Content = System.Net.Http.Json.JsonContent.Create(new { title = $"process {i % 2} writer {i}", version = 1 }),
                };
                return (int)(await client.SendAsync(request)).StatusCode;
            }));

            Assert.That(statuses.Count(s => s == 200), Is.EqualTo(1), string.Join(",", statuses));
            Assert.That(statuses.Count(s => s == 409), Is.EqualTo(19));
            var final = await (await b.Client.GetAsync($"/books/{id}")).JsonAsync();
            Assert.That(final["version"]!.GetValue<long>(), Is.EqualTo(2));
        }
        finally
        {
            if (TestStores.UsesDirectory(store)) TestStores.TryDelete(location);
        }
    }
}
