using LightS3.Storage;
using LightS3.Tests.Support;

namespace LightS3.Tests.Concurrency;

/// <summary>S3 requests per API operation are a first-class number: pinned here against real S3.</summary>
[Category(External.Category)]
public sealed class RequestCountTests
{
    private TestApp _app = null!;

    [OneTimeSetUp]
    public async Task Start() => _app = await TestApp.StartAsync(TestStore.S3, a =>
    {
        a.Register<ReadOnlyEndpoint>("/plain");
        a.Register<AppendOnlyEndpoint>("/appends");
        a.Register<BookEndpoint>("/books");
        a.Register<LenientEndpoint>("/lenient");
    });

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    private async Task<RequestCounts> Measure(Func<Task> operation)
    {
        var before = _app.Counter.Snapshot();
        await operation();
        return _app.Counter.Snapshot().Minus(before);
    }

    [Test]
    public async Task Create_is_one_conditional_put()
    {
        var d = await Measure(() => _app.CreateAsync("/lenient", new { name = "x" }));
        Assert.That((d.Total, d[StoreOperation.Put]), Is.EqualTo((1L, 1L)));
    }

    [Test]
    public async Task Create_with_a_unique_value_adds_one_put_per_unique_field()
    {
        var d = await Measure(() => _app.CreateAsync("/books", new { title = "t", author = "a", isbn = "9783333333333" }));
        Assert.That((d.Total, d[StoreOperation.Put], d[StoreOperation.List]), Is.EqualTo((2L, 2L, 0L)));
    }

    [Test]
    public async Task Get_is_one_request()
    {
        var id = (await _app.CreateAsync("/lenient", new { name = "x" }))["id"];
        var d = await Measure(() => _app.Client.GetAsync($"/lenient/{id}"));
        Assert.That((d.Total, d[StoreOperation.Get]), Is.EqualTo((1L, 1L)));
    }

    [Test]
    public async Task Update_is_a_read_and_a_conditional_write()
    {
        var id = (await _app.CreateAsync("/lenient", new { name = "x" }))["id"];
        var d = await Measure(() => _app.SendAsync(HttpMethod.Patch, $"/lenient/{id}", new { name = "y", version = 1 }));
        Assert.That((d.Total, d[StoreOperation.Get], d[StoreOperation.Put]), Is.EqualTo((2L, 1L, 1L)));
    }

    [Test]
    public async Task A_stale_update_costs_one_read_and_writes_nothing()
    {
        var id = (await _app.CreateAsync("/lenient", new { name = "x" }))["id"];
        await _app.SendAsync(HttpMethod.Patch, $"/lenient/{id}", new { name = "y", version = 1 });
        var d = await Measure(() => _app.SendAsync(HttpMethod.Patch, $"/lenient/{id}", new { name = "z", version = 1 }));
        Assert.That((d.Total, d[StoreOperation.Put]), Is.EqualTo((1L, 0L)));
    }

    [Test]
    public async Task Delete_is_one_get_and_one_conditional_tombstone_put()
    {
        var id = (await _app.CreateAsync("/lenient", new { name = "x" }))["id"];
        var d = await Measure(() => _app.SendAsync(HttpMethod.Delete, $"/lenient/{id}"));
        Assert.That((d[StoreOperation.Get], d[StoreOperation.Put], d[StoreOperation.Delete], d.Total), Is.EqualTo((1L, 1L, 0L, 2L)));
    }

    [Test]
    public async Task A_warm_list_costs_one_list_and_no_gets()
    {
        await using var app = await TestApp.StartAsync(TestStore.S3, a => a.Register<LenientEndpoint>("/items"));
        for (var i = 0; i < 30; i++) await app.CreateAsync("/items", new { name = $"n{i}" });
        var before = app.Counter.Snapshot();
        var list = await (await app.Client.GetAsync("/items")).JsonAsync();
        var d = app.Counter.Snapshot().Minus(before);
        Assert.That(list["results"]!.AsArray(), Has.Count.EqualTo(30));
        Assert.That((d[StoreOperation.List], d[StoreOperation.Get]), Is.EqualTo((1L, 0L)), "records written by this app are in its record cache");
    }

    [Test]
    public async Task A_cold_list_costs_one_list_and_one_get_per_record()
    {
        var location = TestStores.NewLocation(TestStore.S3);
        await using (var writer = await TestApp.StartAsync(TestStore.S3, a => a.Register<LenientEndpoint>("/items"), location: location))
            for (var i = 0; i < 12; i++) await writer.CreateAsync("/items", new { name = $"n{i}" });
        await using var reader = await TestApp.StartAsync(TestStore.S3, a => a.Register<LenientEndpoint>("/items"), location: location);
        var before = reader.Counter.Snapshot();
        await reader.Client.GetAsync("/items");
        var cold = reader.Counter.Snapshot().Minus(before);
        before = reader.Counter.Snapshot();
        await reader.Client.GetAsync("/items");
        var warm = reader.Counter.Snapshot().Minus(before);
        Assert.That((cold[StoreOperation.List], cold[StoreOperation.Get]), Is.EqualTo((1L, 12L)));
        Assert.That((warm[StoreOperation.List], warm[StoreOperation.Get]), Is.EqualTo((1L, 0L)));
    }
}
