using System.Text.Json.Nodes;
using LightS3.Migrations;

namespace LightS3.Tests.Migrations;

/// <summary>The YAML-declarable steps and the transform expression language, on one document.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class MigrationStepTests
{
    private static JsonObject Doc() => JsonNode.Parse("""{"id":"a","title":"Dune","price":"12.50","pages":"412","tags":["x"],"version":1}""")!.AsObject();

    [Test]
    public void A_rename_and_a_type_change_move_the_value_and_convert_it_and_down_restores_the_stored_shape()
    {
        var m = new StepMigration("001", "/books", [new RenameFieldStep("title", "name"), new ChangeTypeStep("price", "number", "string", null)]);
        var doc = Doc();
        m.Up(doc);
        Assert.That(doc.ContainsKey("title"), Is.False);
        Assert.That(doc["name"]!.GetValue<string>(), Is.EqualTo("Dune"));
        Assert.That(doc["price"]!.GetValueKind(), Is.EqualTo(System.Text.Json.JsonValueKind.Number));
        Assert.That(doc["price"]!.GetValue<decimal>(), Is.EqualTo(12.50m));
        m.Down(doc);
        Assert.That(doc["title"]!.GetValue<string>(), Is.EqualTo("Dune"));
        Assert.That(doc["price"]!.GetValue<string>(), Is.EqualTo("12.50"));
        Assert.That(doc.ContainsKey("name"), Is.False);
    }

    [Test]
    public void Add_field_fills_only_absent_or_null_values_and_remove_field_without_a_default_cannot_be_reverted()
    {
        var doc = Doc();
        new AddFieldStep("stock", JsonValue.Create(0)).Apply(doc);
        new AddFieldStep("title", JsonValue.Create("other")).Apply(doc);
        Assert.That(doc["stock"]!.GetValue<int>(), Is.Zero);
        Assert.That(doc["title"]!.GetValue<string>(), Is.EqualTo("Dune"), "an existing value is kept");
        var remove = new StepMigration("002", "/books", [new RemoveFieldStep("tags", null, false)]);
        remove.Up(doc);
        Assert.That(doc.ContainsKey("tags"), Is.False);
        Assert.That(remove.Reversible, Is.False);
        Assert.Throws<IrreversibleMigrationException>(() => remove.Down(doc));
    }

    [Test]
    public void A_value_that_does_not_convert_stops_the_migration_unless_on_error_says_otherwise()
    {
        var doc = JsonNode.Parse("""{"price":"about ten"}""")!.AsObject();
        Assert.Throws<MigrationRecordException>(() => new ChangeTypeStep("price", "number", null, null).Apply(doc));
        new ChangeTypeStep("price", "number", null, null, ConversionFailure.Null).Apply(doc);
        Assert.That(doc["price"], Is.Null);
    }

    [TestCase("upper(title) + ' (' + pages + ')'", "\"DUNE (412)\"")]
    [TestCase("number(price) * 100", "1250")]
    [TestCase("round(number(price) / 3, 2)", "4.17")]
    [TestCase("coalesce(missing, 'none')", "\"none\"")]
    [TestCase("len(trim('  ab '))", "2")]
    [TestCase("-(1 + 2) * 2", "-6")]
    public void Transform_expressions_evaluate_over_the_record(string expression, string expected)
    {
        var doc = Doc();
        new TransformStep("out", TransformExpression.Parse(expression)).Apply(doc);
        Assert.That(doc["out"]!.ToJsonString(), Is.EqualTo(expected));
    }

    [TestCase("upper(title", "')' expected")]
    [TestCase("shout(title)", "unknown function 'shout'")]
    [TestCase("1 +", "expression ends too early")]
    [TestCase("'open", "unterminated text")]
    public void A_bad_expression_is_refused_when_parsed_with_its_position(string expression, string message)
    {
        var e = Assert.Throws<FormatException>(() => TransformExpression.Parse(expression))!;
        Assert.That(e.Message, Does.Contain(message).And.Contain("position"));
    }

    [Test]
    public void Arithmetic_on_text_is_a_record_error_not_a_crash()
    {
        var step = new TransformStep("out", TransformExpression.Parse("title * 2"));
        var e = Assert.Throws<MigrationRecordException>(() => step.Apply(Doc()))!;
        Assert.That(e.Message, Does.Contain("needs a number"));
    }

    [Test]
    public void The_catalog_orders_migrations_by_id_and_upgrades_a_record_from_its_stamp_to_the_latest()
    {
        var catalog = new MigrationCatalog()
            .Add(new StepMigration("002_price", "/books", [new ChangeTypeStep("price", "number", "string", null)]))
            .Add(new StepMigration("001_rename", "/books", [new RenameFieldStep("title", "name")]));
        Assert.That(catalog.For("/books").Select(m => m.Id), Is.EqualTo(new[] { "001_rename", "002_price" }));
        var upgrader = catalog.UpgraderFor("/books");
        Assert.That(upgrader.Latest, Is.EqualTo("002_price"));

        var half = JsonNode.Parse("""{"name":"Dune","price":"3","_schema":"001_rename"}""")!.AsObject();
        Assert.That(upgrader.Upgrade(half), Is.True);
        Assert.That(half.ToJsonString(), Is.EqualTo("""{"name":"Dune","price":3,"_schema":"002_price"}"""), "only the migration it had not had");
        Assert.That(upgrader.Upgrade(half), Is.False, "a current record is left alone");
        Assert.Throws<LightS3.Model.ConfigurationException>(() => catalog.Add(new StepMigration("001_rename", "/books", [])));
    }
}
