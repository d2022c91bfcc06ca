using LightS3.Hosting;
using LightS3.Yaml.Config;

namespace LightS3.Tests.Migrations;

/// <summary>
/// One endpoint before and after a rename (<c>title</c> → <c>name</c>, indexed) and a type change (<c>price</c> text →
/// number), declared as YAML migrations.
/// </summary>
public static class MigrationSamples
{
    /// <summary>The endpoint as first deployed.</summary>
    public const string Before = """
        endpoints:
          - route: /items
            fields:
              title: { type: str, index: true }
              price: { type: str }
              seq: { type: int }

        """;

    /// <summary>The endpoint after the change, with the two migrations that bring stored records along.</summary>
    public const string After = """
        endpoints:
          - route: /items
            fields:
              name: { type: str, index: true }
              price: { type: decimal }
              seq: { type: int }
            meta:
              filtering: { fields: [name] }
        migrations:
          - id: 001_rename_title
            route: /items
            rename_field: { from: title, to: name }
          - id: 002_price_number
            route: /items
            change_type: { field: price, to: number, from: string }

        """;

    /// <summary>The latest migration of <see cref="After"/>.</summary>
    public const string Latest = "002_price_number";

    /// <summary>Reads a sample.</summary>
    public static YamlConfig Read(string yaml) => YamlConfigReader.Read(yaml, "sample.yaml");

    /// <summary>Registers a sample's endpoints and migrations on an app.</summary>
    public static void Register(LightS3App app, string yaml)
    {
        var config = Read(yaml);
        foreach (var e in config.Endpoints) app.RegisterModel(e.Model);
        foreach (var m in config.Migrations) app.Migrations.Add(m);
    }

    /// <summary>The old-shape body of record <paramref name="i"/>.</summary>
    public static object OldBody(int i) => new { title = $"item-{i:D5}", price = $"{i % 100}.50", seq = i };
}
