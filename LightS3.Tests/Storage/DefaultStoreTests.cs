using LightS3.Hosting;
using LightS3.Model;
using LightS3.Storage;
using LightS3.Storage.Embedded;
using LightS3.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace LightS3.Tests.Storage;

/// <summary>Which store a data directory gets: SQLite by default, the file store when chosen or when its data is already there.</summary>
public sealed class DefaultStoreTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestStores.NewDirectory();

    [TearDown]
    public void TearDown() => TestStores.TryDelete(_dir);

    private static LightS3Options Configured(params (string Key, string Value)[] settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
        using var configuration = new LightS3Configuration(config);
        if (configuration.Errors.Count > 0) throw new ConfigurationException(configuration.Errors);
        var options = new LightS3Options();
        configuration.Bind(LightS3Options.Section, options);
        return options;
    }

    [Test]
    public async Task Without_s3_settings_a_fresh_data_dir_gets_the_sqlite_store()
    {
        var options = Configured(("LIGHTS3_DATA_DIR", _dir));
        Assert.That(options.EffectiveStorage, Is.EqualTo(StorageKind.File));
        var store = StoreFactory.Create(options, new RequestCounter());
        Assert.That(store, Is.InstanceOf<SqliteObjectStore>());
        await ((SqliteObjectStore)store).DisposeAsync();
        Assert.That(File.Exists(Path.Combine(_dir, "lights3.db")));
    }

    [TestCase("files", typeof(FileObjectStore))]
    [TestCase("sqlite", typeof(SqliteObjectStore))]
    [TestCase("embedded", typeof(SqliteObjectStore))]
    [TestCase("FILE", typeof(SqliteObjectStore))]
    [TestCase("memory", typeof(InMemoryObjectStore))]
    public async Task LIGHTS3_STORAGE_selects_the_store(string value, Type expected)
    {
        var store = StoreFactory.Create(Configured(("LIGHTS3_STORAGE", value), ("LIGHTS3_DATA_DIR", _dir)), new RequestCounter());
        Assert.That(store, Is.InstanceOf(expected));
        if (store is IAsyncDisposable disposable) await disposable.DisposeAsync();
    }

    [TestCase("sqlit")]
    [TestCase("7")]
    public void An_unknown_LIGHTS3_STORAGE_names_the_choices(string value)
    {
        var error = Assert.Throws<ConfigurationException>(() => Configured(("LIGHTS3_STORAGE", value)));
        Assert.That(error!.Message, Does.Contain("files").And.Contain("sqlite"));
    }

    [Test]
    public async Task The_sqlite_store_is_used_once_its_database_exists_even_beside_file_store_data()
    {
        await new FileObjectStore(_dir, new RequestCounter()).PutAsync("c/records/a.json", "{}"u8.ToArray(), WriteCondition.None);
        var before = StoreFactory.Create(Configured(("LIGHTS3_DATA_DIR", _dir)), new RequestCounter());
        Assert.That(before, Is.InstanceOf<FileObjectStore>(), "file-store data and no database: the file store");

        await EmbeddedStoreMigration.ImportFileStoreAsync(_dir, _dir);
        var after = StoreFactory.Create(Configured(("LIGHTS3_DATA_DIR", _dir)), new RequestCounter());
        Assert.That(after, Is.InstanceOf<SqliteObjectStore>());
        Assert.That(await after.GetAsync("c/records/a.json"), Is.Not.Null);
        await ((SqliteObjectStore)after).DisposeAsync();
    }
}
