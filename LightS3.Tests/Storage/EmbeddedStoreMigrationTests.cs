using System.Text.Json.Nodes;
using LightS3.Hosting;
using LightS3.Storage;
using LightS3.Storage.Embedded;
using LightS3.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LightS3.Tests.Storage;

/// <summary>An existing directory-of-files data dir keeps working, and imports into the SQLite store with its records intact.</summary>
public sealed class EmbeddedStoreMigrationTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestStores.NewDirectory();

    [TearDown]
    public void TearDown() => TestStores.TryDelete(_dir);

    /// <summary>An app on <see cref="_dir"/> with the default (automatic) embedded store choice.</summary>
    private Task<TestApp> StartDefault(CapturingLoggerProvider? logs = null) =>
        TestApp.StartAsync(TestStore.File, a => a.Register<BookEndpoint>("/books"), o => o.Storage = StorageKind.File, location: _dir,
            configureServices: s =>
            {
                if (logs is not null) s.AddSingleton<ILoggerProvider>(logs);
            });

    private async Task<List<JsonObject>> SeedFileStoreAsync()
    {
        await using var files = await TestApp.StartAsync(TestStore.File, a => a.Register<BookEndpoint>("/books"), location: _dir);
        Assert.That(files.ObjectStore.Find<FileObjectStore>(), Is.Not.Null);
        var books = new List<JsonObject>();
        for (var i = 0; i < 25; i++)
            books.Add(await files.CreateAsync("/books", new { title = $"book {i}", author = "a", isbn = $"{9780000000000 + i}" }));
        var updated = await files.SendAsync(HttpMethod.Patch, $"/books/{books[3]["id"]}", new { title = "renamed", version = 1 });
        Assert.That((int)updated.StatusCode, Is.EqualTo(200));
        books[3] = await updated.JsonAsync();
        Assert.That((int)(await files.SendAsync(HttpMethod.Delete, $"/books/{books[4]["id"]}")).StatusCode, Is.EqualTo(204));
        books.RemoveAt(4);
        return books;
    }

    [Test]
    public async Task A_file_store_data_dir_without_a_database_keeps_being_served_by_the_file_store_with_a_warning()
    {
        var books = await SeedFileStoreAsync();
        var logs = new CapturingLoggerProvider();
        await using var app = await StartDefault(logs);

        Assert.That(app.ObjectStore.Find<FileObjectStore>(), Is.Not.Null, "existing file-store data must keep working");
        Assert.That(File.Exists(Path.Combine(_dir, EmbeddedSchema.FileName)), Is.False);
        Assert.That(logs.Entries, Has.Some.Matches<(string Category, LogLevel Level, string Message, Exception? Error)>(
            e => e.Level == LogLevel.Warning && e.Message.Contains("lights3 store migrate")));
        var read = await app.Client.GetAsync($"/books/{books[0]["id"]}");
        Assert.That((int)read.StatusCode, Is.EqualTo(200));
    }

    [Test]
    public async Task Imported_records_are_readable_listable_updatable_and_keep_their_unique_fields()
    {
        var books = await SeedFileStoreAsync();
        var deletedIsbn = $"{9780000000000 + 4}";

        var imported = await EmbeddedStoreMigration.ImportFileStoreAsync(_dir, _dir);
        Assert.That(imported, Is.GreaterThanOrEqualTo(books.Count), "records plus their unique markers and index entries");
        Assert.That(EmbeddedStoreMigration.HoldsFileStoreData(_dir), Is.False, "the database now exists");

        await using var app = await StartDefault();
        Assert.That(app.ObjectStore.Find<SqliteObjectStore>(), Is.Not.Null, "after the import the directory is served by SQLite");
        foreach (var book in books)
        {
            var read = await app.Client.GetAsync($"/books/{book["id"]}");
            Assert.That((int)read.StatusCode, Is.EqualTo(200));
            var json = await read.JsonAsync();
            Assert.That(json["title"]!.GetValue<string>(), Is.EqualTo(book["title"]!.GetValue<string>()));
            Assert.That(json["version"]!.GetValue<long>(), Is.EqualTo(book["version"]!.GetValue<long>()));
        }
        var listed = await app.Client.GetAsync("/books").JsonAsync();
        Assert.That(listed["results"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()), Is.EquivalentTo(books.Select(b => b["id"]!.GetValue<string>())));

        // the unique marker came along: the ISBN is still taken; the deleted book's ISBN is free again
        Assert.That(await app.PostAsync("/books", new { title = "dup", author = "b", isbn = "9780000000000" }).StatusAsync(), Is.EqualTo(409));
        Assert.That(await app.PostAsync("/books", new { title = "reuse", author = "b", isbn = deletedIsbn }).StatusAsync(), Is.EqualTo(201));
        var patched = await app.SendAsync(HttpMethod.Patch, $"/books/{books[3]["id"]}", new { title = "again", version = books[3]["version"]!.GetValue<long>() });
        Assert.That((int)patched.StatusCode, Is.EqualTo(200));
    }

    [Test]
    public void Importing_a_directory_without_file_store_data_fails_clearly()
    {
        var error = Assert.ThrowsAsync<DirectoryNotFoundException>(() => EmbeddedStoreMigration.ImportFileStoreAsync(Path.Combine(_dir, "missing"), _dir));
        Assert.That(error!.Message, Does.Contain("objects/"));
    }
}
