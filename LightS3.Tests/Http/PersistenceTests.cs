using LightS3.Tests.Support;

namespace LightS3.Tests.Http;

/// <summary>Persistent stores keep records across app restarts.</summary>
[TestFixture(TestStore.File)]
[TestFixture(TestStore.Embedded)]
[TestFixture(TestStore.S3, Category = External.Category)]
public sealed class PersistenceTests(TestStore store)
{
    [Test]
    public async Task Records_survive_an_app_restart()
    {
        var location = TestStores.NewLocation(store);
        try
        {
            string id;
            await using (var first = await TestApp.StartAsync(store, a => a.Register<BookEndpoint>("/books"), location: location))
                id = (await first.CreateAsync("/books", new { title = "kept", author = "me" }))["id"]!.GetValue<string>();

            await using var second = await TestApp.StartAsync(store, a => a.Register<BookEndpoint>("/books"), location: location);
            var body = await (await second.Client.GetAsync($"/books/{id}")).JsonAsync();
            Assert.That(body["title"]!.GetValue<string>(), Is.EqualTo("kept"));
        }
        finally
        {
            if (TestStores.UsesDirectory(store)) TestStores.TryDelete(location);
        }
    }
}
