using System.Net;
using LightS3.Hosting;
using LightS3.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Tests.Files;

/// <summary>
/// What happens to file bytes over time: races between confirms, replaced and deleted files, deleted records and
/// uploads never confirmed — all removed by the background collector, never while something may still use them.
/// </summary>
[TestFixture(TestStore.S3, Category = External.Category)]
[TestFixture(TestStore.File)]
public sealed class FileLifecycleTests(TestStore store)
{
    private static Task<TestApp> StartAsync(TestStore store, TimeSpan grace) =>
        TestApp.StartAsync(store, a => a.Register<AlbumEndpoint>("/albums"), o =>
        {
            o.GarbageCollectionInterval = TimeSpan.Zero; // passes are run by the tests
            o.GarbageCollectionGrace = grace;
        }, socket: true);

    private static GarbageCollectionService Collector(TestApp app) => app.App.Services.GetRequiredService<GarbageCollectionService>();

    private static async Task<string> NewAlbumAsync(TestApp app) => (await app.CreateAsync("/albums", new { title = "t" }))["id"]!.GetValue<string>();

    [Test]
    public async Task Two_confirms_racing_after_two_uploads_one_wins_the_other_is_409_and_no_orphan_survives_collection()
    {
        SlowRecordWrites? slow = null;
        await using var app = await TestApp.StartAsync(store, a => a.Register<AlbumEndpoint>("/albums"), o =>
        {
            o.GarbageCollectionInterval = TimeSpan.Zero;
            o.GarbageCollectionGrace = TimeSpan.Zero;
        }, wrapStore: s => slow = new SlowRecordWrites(s), socket: true);
        var id = await NewAlbumAsync(app);
        var first = await FileClient.GrantAsync(app, $"/albums/{id}/cover", new { content_type = "image/png" });
        var second = await FileClient.GrantAsync(app, $"/albums/{id}/cover", new { content_type = "image/png" });
        var (a, b) = (FileClient.RandomBytes(300), FileClient.RandomBytes(400));
        Assert.That((await FileClient.UploadAsync(first, a)).IsSuccessStatusCode);
        Assert.That((await FileClient.UploadAsync(second, b)).IsSuccessStatusCode);
        Assert.That(await FileClient.BlobKeysAsync(app, "albums"), Has.Count.EqualTo(2));

        // both confirms read the same version before either writes (record writes held back 300 ms); the compare-and-swap lets exactly one write
        slow!.Delay = TimeSpan.FromMilliseconds(300);
        var confirms = await Task.WhenAll(FileClient.ConfirmAsync(app, $"/albums/{id}/cover"), FileClient.ConfirmAsync(app, $"/albums/{id}/cover"));
        slow.Delay = TimeSpan.Zero;
        var statuses = confirms.Select(c => (int)c.StatusCode).Order().ToArray();
        Assert.That(statuses, Is.EqualTo(new[] { 200, 409 }));
        var record = await (await app.Client.GetAsync($"/albums/{id}")).JsonAsync();
        Assert.That(record["cover"]!["status"]!.GetValue<string>(), Is.EqualTo("ready"));
        Assert.That(await app.Client.GetByteArrayAsync($"/albums/{id}/cover"), Is.EqualTo(b), "the latest upload is the one confirmed");

        var report = await Collector(app).CollectOnceAsync();
        Assert.That(report.Blobs, Is.EqualTo(1), "the superseded upload");
        Assert.That(await FileClient.BlobKeysAsync(app, "albums"), Has.Count.EqualTo(1), "only the ready file's bytes are left");
        Assert.That(await app.Client.GetByteArrayAsync($"/albums/{id}/cover"), Is.EqualTo(b));
    }

    [Test]
    public async Task A_deleted_records_bytes_are_gone_after_collection()
    {
        await using var app = await StartAsync(store, TimeSpan.Zero);
        var id = await NewAlbumAsync(app);
        await FileClient.PutFileAsync(app, $"/albums/{id}/cover", FileClient.RandomBytes(100), "image/png");
        var keep = await NewAlbumAsync(app);
        await FileClient.PutFileAsync(app, $"/albums/{keep}/cover", FileClient.RandomBytes(100), "image/png");
        var location = await FileClient.DownloadLocationAsync(app, $"/albums/{id}/cover");
        Assert.That(await app.SendAsync(HttpMethod.Delete, $"/albums/{id}").StatusAsync(), Is.EqualTo(204));
        Assert.That(await app.Client.GetAsync($"/albums/{id}/cover").StatusAsync(), Is.EqualTo(404));

        long measured = 0;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Name == "lights3.files.blobs_collected") l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref measured, value));
        listener.Start();
        var report = await Collector(app).CollectOnceAsync();
        Assert.That(report.Blobs, Is.EqualTo(1));
        Assert.That(Interlocked.Read(ref measured), Is.GreaterThanOrEqualTo(1), "the lights3.files.blobs_collected metric counts it");
        var left = await FileClient.BlobKeysAsync(app, "albums");
        Assert.That(left.Single(), Does.Contain($"/{keep}/"), "the live record's file stays");
        Assert.That((await FileClient.Direct.GetAsync(location)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "the bytes are gone");
    }

    [Test]
    public async Task Files_of_a_deleted_record_and_a_replaced_file_stay_for_the_grace_period()
    {
        await using var app = await StartAsync(store, TimeSpan.FromHours(1));
        var id = await NewAlbumAsync(app);
        var old = FileClient.RandomBytes(100);
        await FileClient.PutFileAsync(app, $"/albums/{id}/cover", old, "image/png");
        var oldLocation = await FileClient.DownloadLocationAsync(app, $"/albums/{id}/cover");
        await FileClient.PutFileAsync(app, $"/albums/{id}/cover", FileClient.RandomBytes(200), "image/png");
        var other = await NewAlbumAsync(app);
        await FileClient.PutFileAsync(app, $"/albums/{other}/cover", FileClient.RandomBytes(100), "image/png");
        Assert.That(await app.SendAsync(HttpMethod.Delete, $"/albums/{other}").StatusAsync(), Is.EqualTo(204));

        Assert.That((await Collector(app).CollectOnceAsync()).Blobs, Is.Zero);
        Assert.That(await FileClient.BlobKeysAsync(app, "albums"), Has.Count.EqualTo(3));
        Assert.That(await (await FileClient.Direct.GetAsync(oldLocation)).Content.ReadAsByteArrayAsync(), Is.EqualTo(old),
            "a download URL handed out before the replacement still works");
    }

    [Test]
    public async Task A_replaced_file_is_kept_for_the_grace_period_counted_from_its_replacement_not_from_its_upload()
    {
        var clock = new ShiftedTime();
        await using var app = await TestApp.StartAsync(store, a => a.Register<AlbumEndpoint>("/albums"), o =>
        {
            o.GarbageCollectionInterval = TimeSpan.Zero;
            o.GarbageCollectionGrace = TimeSpan.FromHours(1);
        }, configureServices: s => s.AddSingleton<TimeProvider>(clock), socket: true);
        var id = await NewAlbumAsync(app);
        await FileClient.PutFileAsync(app, $"/albums/{id}/cover", FileClient.RandomBytes(100), "image/png");
        clock.Offset = TimeSpan.FromMinutes(50);
        await FileClient.PutFileAsync(app, $"/albums/{id}/cover", FileClient.RandomBytes(200), "image/png"); // releases the first at +50 min
        clock.Offset = TimeSpan.FromMinutes(70); // the first file's bytes are older than the grace period, its release is not
        Assert.That((await Collector(app).CollectOnceAsync()).Blobs, Is.Zero);
        Assert.That(await FileClient.BlobKeysAsync(app, "albums"), Has.Count.EqualTo(2));
        clock.Offset = TimeSpan.FromMinutes(111);
        Assert.That((await Collector(app).CollectOnceAsync()).Blobs, Is.EqualTo(1));
        Assert.That(await FileClient.BlobKeysAsync(app, "albums"), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_replaced_file_and_a_deleted_fields_bytes_are_collected_after_the_grace_period()
    {
        await using var app = await StartAsync(store, TimeSpan.Zero);
        var id = await NewAlbumAsync(app);
        await FileClient.PutFileAsync(app, $"/albums/{id}/cover", FileClient.RandomBytes(100), "image/png");
        var current = FileClient.RandomBytes(200);
        await FileClient.PutFileAsync(app, $"/albums/{id}/cover", current, "image/png");
        await Task.Delay(50); // the release time must lie before the pass's cutoff
        Assert.That((await Collector(app).CollectOnceAsync()).Blobs, Is.EqualTo(1));
        Assert.That(await app.Client.GetByteArrayAsync($"/albums/{id}/cover"), Is.EqualTo(current));

        Assert.That(await app.SendAsync(HttpMethod.Delete, $"/albums/{id}/cover").StatusAsync(), Is.EqualTo(204));
        await Task.Delay(50);
        Assert.That((await Collector(app).CollectOnceAsync()).Blobs, Is.EqualTo(1));
        Assert.That(await FileClient.BlobKeysAsync(app, "albums"), Is.Empty);
    }

    [Test]
    public async Task An_unconfirmed_upload_is_kept_while_it_can_be_confirmed_and_gone_after_its_grace()
    {
        await using var app = await StartAsync(store, TimeSpan.Zero);
        var id = await NewAlbumAsync(app);
        var grant = await FileClient.GrantAsync(app, $"/albums/{id}/attachment"); // URL lives 2 s
        Assert.That((await FileClient.UploadAsync(grant, FileClient.RandomBytes(100))).IsSuccessStatusCode);
        Assert.That((await Collector(app).CollectOnceAsync()).Blobs, Is.Zero, "still confirmable");
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.That(await FileClient.ConfirmAsync(app, $"/albums/{id}/attachment").StatusAsync(), Is.EqualTo(409), "expired");
        Assert.That((await Collector(app).CollectOnceAsync()).Blobs, Is.EqualTo(1));
        Assert.That(await FileClient.BlobKeysAsync(app, "albums"), Is.Empty);
    }
}

/// <summary>The system clock moved forward by <see cref="Offset"/> (the store's own timestamps stay real).</summary>
public sealed class ShiftedTime : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
