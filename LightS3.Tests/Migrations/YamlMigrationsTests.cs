using LightS3.Migrations;
using LightS3.Model;

namespace LightS3.Tests.Migrations;

/// <summary><c>migrations:</c> in YAML: read into step migrations, every mistake reported at its key's line.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class YamlMigrationsTests
{
    [Test]
    public void Migrations_are_read_in_order_with_their_steps()
    {
        var config = MigrationSamples.Read(MigrationSamples.After);
        Assert.That(config.Migrations.Select(m => m.Id), Is.EqualTo(new[] { "001_rename_title", "002_price_number" }));
        Assert.That(config.Migrations[0].Steps.Single(), Is.InstanceOf<RenameFieldStep>());
        Assert.That(config.Migrations[1].Steps.Single(), Is.InstanceOf<ChangeTypeStep>());
        Assert.That(config.Migrations[1].Reversible, Is.True, "change_type with from: reverts");
    }

    [Test]
    public void Several_steps_add_field_defaults_and_transforms_are_read()
    {
        var config = MigrationSamples.Read(MigrationSamples.Before + """
            migrations:
              - id: 003_more
                route: /items
                description: stock and a label
                steps:
                  - add_field: { name: stock, default: 5 }
                  - add_field: { name: note, default: "5" }
                  - transform: { field: label, expression: "upper(title) + '-' + seq" }
                  - remove_field: price
            """);
        var m = config.Migrations.Single();
        Assert.That(m.Description, Is.EqualTo("stock and a label"));
        var doc = System.Text.Json.Nodes.JsonNode.Parse("""{"title":"ab","price":"1","seq":7}""")!.AsObject();
        m.Up(doc);
        Assert.That(doc.ToJsonString(), Is.EqualTo("""{"title":"ab","seq":7,"stock":5,"note":"5","label":"AB-7"}"""));
        Assert.That(m.Reversible, Is.False, "remove_field without a default");
    }

    [Test]
    public void Mistakes_are_reported_together_each_at_its_line()
    {
        var e = Assert.Throws<ConfigurationException>(() => MigrationSamples.Read(MigrationSamples.Before + """
            migrations:
              - route: /items
                rename_field: { from: a, to: b }
              - id: x2
                route: /nowhere
                rename_field: { from: a, to: b }
              - id: x3
                route: /items
                change_type: { field: price, to: money }
              - id: x4
                route: /items
                transform: { field: f, expression: "upper(title" }
              - id: x5
                route: /items
                rename_field: { from: a, to: b }
                remove_field: c
              - id: x5
                route: /items
                add_field: { name: stock }
            """))!;
        var text = string.Join("\n", e.Problems);
        Assert.That(text, Does.Contain("migrations[0]: an id is required"));
        Assert.That(text, Does.Contain("migrations[1].route: no endpoint at '/nowhere' (known: /items) (line "));
        Assert.That(text, Does.Contain("migrations[2].change_type.to: unknown type 'money'"));
        Assert.That(text, Does.Contain("migrations[3].transform.expression: ')' expected"));
        Assert.That(text, Does.Contain("migrations[4]: one step per migration (remove_field, rename_field given)"));
        Assert.That(text, Does.Contain("migrations[5].id: duplicate migration id 'x5' (also migrations[4])"));
        Assert.That(text, Does.Contain("migrations[5].add_field: a default is required"));
    }
}
