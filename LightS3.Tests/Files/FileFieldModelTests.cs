using LightS3.Endpoints;
using LightS3.Files;
using LightS3.Model;
using LightS3.Tests.Support;
using LightS3.Yaml.Config;

namespace LightS3.Tests.Files;

/// <summary>File fields read from attributes and from YAML into the same model, and their configuration errors.</summary>
public sealed class FileFieldModelTests
{
    public class BadTypesEndpoint : RestEndpoint<BadTypesEndpoint>
    {
        [FileField(ContentTypes = ["image"])] public StoredFile? Cover { get; set; }
    }

    [Test]
    public void An_attributed_stored_file_property_is_an_optional_file_field_with_its_limits()
    {
        var model = AttributeModelReader.Read(typeof(AlbumEndpoint), "/albums");
        var cover = model.Field("cover")!;
        Assert.That(cover.Kind, Is.EqualTo(FieldKind.File));
        Assert.That((cover.Nullable, cover.Required), Is.EqualTo((true, false)));
        Assert.That(cover.File!.MaxBytes, Is.EqualTo(64 * 1024));
        Assert.That(cover.File.ContentTypes, Is.EqualTo(new[] { "image/png", "image/jpeg" }));
        Assert.That(model.Field("attachment")!.File!.UploadExpiry, Is.EqualTo(TimeSpan.FromSeconds(2)));
        Assert.That(model.FileFields.Select(f => f.Name), Is.EqualTo(new[] { "cover", "attachment" }));
    }

    [Test]
    public void A_content_type_that_is_not_a_media_type_is_a_configuration_error()
    {
        var e = Assert.Throws<ConfigurationException>(() => AttributeModelReader.Read(typeof(BadTypesEndpoint), "/bad"));
        Assert.That(e!.Message, Does.Contain("file field 'cover' content type 'image' is not type/subtype or type/*"));
    }

    [TestCase("1024", 1024L)]
    [TestCase("5MB", 5L * 1024 * 1024)]
    [TestCase("10 KB", 10L * 1024)]
    [TestCase("1.5MB", 1572864L)]
    [TestCase("2GiB", 2L * 1024 * 1024 * 1024)]
    [TestCase("5XB", null)]
    [TestCase("-1", null)]
    [TestCase("1.3B", null)]
    [TestCase("MB", null)]
    public void Sizes_are_plain_bytes_or_numbers_with_kb_mb_gb(string text, long? bytes) => Assert.That(FileSpec.ParseSize(text), Is.EqualTo(bytes));

    [Test]
    public void The_yaml_example_declares_file_fields_like_the_attributes_do()
    {
        var config = YamlConfigReader.ReadFile(Path.Combine(Docs.DocSample.RepositoryRoot(), "examples", "yaml", "files.yaml"), _ => null);
        var model = config.Endpoints.Single().Model;
        var cover = model.Field("cover")!;
        Assert.That(cover.Kind, Is.EqualTo(FieldKind.File));
        Assert.That(cover.File!.MaxBytes, Is.EqualTo(5 * 1024 * 1024));
        Assert.That(cover.File.ContentTypes, Is.EqualTo(new[] { "image/png", "image/jpeg" }));
        Assert.That((cover.Nullable, cover.Required), Is.EqualTo((true, false)), "optional without saying so");
        var master = model.Field("master")!;
        Assert.That((master.File!.MaxBytes, master.File.UploadExpiry, master.File.DownloadExpiry),
            Is.EqualTo((50L * 1024 * 1024, (TimeSpan?)TimeSpan.FromMinutes(10), (TimeSpan?)TimeSpan.FromMinutes(1))));
    }

    [Test]
    public void Yaml_file_settings_are_checked_with_their_paths()
    {
        var e = Assert.Throws<ConfigurationException>(() => YamlConfigReader.Read("""
            endpoints:
              - route: /items
                fields:
                  cover: { type: file, max_size: lots, content_types: [png] }
                  name:  { type: str, max_size: 5MB }
                meta:
                  filtering: { fields: [cover] }
            """, "api.yaml", _ => null));
        Assert.That(e!.Message, Does.Contain("endpoints[0].fields.cover.max_size").And.Contain("'lots' is not a size"));
        Assert.That(e.Message, Does.Contain("content type 'png' is not type/subtype"));
        Assert.That(e.Message, Does.Contain("endpoints[0].fields.name.max_size").And.Contain("applies to file fields only"));
        Assert.That(e.Message, Does.Contain("filtering fields cannot name file field 'cover'"));
    }

    [Test]
    public async Task A_yaml_endpoint_serves_the_file_routes_on_the_embedded_store()
    {
        var model = YamlConfigReader.Read("""
            endpoints:
              - route: /papers
                fields:
                  title: { type: str }
                  pdf:   { type: file, max_size: 1KB, content_types: [application/pdf] }
            """, "api.yaml", _ => null).Endpoints.Single().Model;
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.RegisterModel(model), socket: true);
        var id = (await app.CreateAsync("/papers", new { title = "t" }))["id"]!.GetValue<string>();
        var bytes = FileClient.RandomBytes(1024);
        var record = await FileClient.PutFileAsync(app, $"/papers/{id}/pdf", bytes, "application/pdf", "a.pdf");
        Assert.That(record["pdf"]!["status"]!.GetValue<string>(), Is.EqualTo("ready"));
        Assert.That(await app.Client.GetByteArrayAsync($"/papers/{id}/pdf"), Is.EqualTo(bytes));
        var grant = await FileClient.GrantAsync(app, $"/papers/{id}/pdf");
        Assert.That(grant["headers"]!["Content-Type"]!.GetValue<string>(), Is.EqualTo("application/pdf"), "the only allowed type is the default");
        Assert.That((int)(await FileClient.UploadAsync(grant, FileClient.RandomBytes(1025))).StatusCode, Is.EqualTo(413));
    }
}
