using System.Text.Json.Nodes;
using LightS3.Documents;
using LightS3.Endpoints;
using LightS3.Model;
using LightS3.Tests.Support;
using LightS3.Validation;

namespace LightS3.Tests.Validation;

public sealed class InputBinderTests
{
    private static readonly EndpointModel Model = AttributeModelReader.Read(typeof(BookEndpoint), "/books");
    private static InputBinder Binder(UnknownFieldPolicy policy = UnknownFieldPolicy.Reject) => new(Model, policy);

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    [Test]
    public void Create_fills_defaults_and_nulls_in_declaration_order()
    {
        var bound = Binder().Bind(Parse("""{"author":"a","title":"t"}"""), BindMode.Create);
        Assert.That(bound.Fields.Select(p => p.Key).Take(3), Is.EqualTo(new[] { "title", "author", "isbn" }));
        Assert.That(bound.Fields["price"]!.GetValue<decimal>(), Is.Zero);
        Assert.That(bound.Fields["isbn"], Is.Null);
    }

    [Test]
    public void Patch_binds_only_what_was_sent_and_reads_the_version()
    {
        var bound = Binder().Bind(Parse("""{"title":"t","version":3}"""), BindMode.Patch);
        Assert.That(bound.Fields.Select(p => p.Key), Is.EqualTo(new[] { "title" }));
        Assert.That(bound.Version, Is.EqualTo(3));
    }

    [TestCase("null")]
    [TestCase("-1")]
    [TestCase("\"2\"")]
    [TestCase("1.5")]
    public void A_malformed_version_is_a_field_error(string version)
    {
        var e = Assert.Throws<RecordValidationException>(() => Binder().Bind(Parse($$"""{"version":{{version}}}"""), BindMode.Patch));
        Assert.That(e!.Errors.Keys, Is.EquivalentTo(new[] { "version" }));
    }

    [Test]
    public void Version_in_a_create_body_is_ignored()
    {
        Assert.That(Binder().Bind(Parse("""{"title":"t","author":"a","version":99}"""), BindMode.Create).Version, Is.Null);
    }

    [Test]
    public void Bounds_are_checked_on_every_numeric_kind()
    {
        var e = Assert.Throws<RecordValidationException>(() => Binder().Bind(Parse("""{"title":"t","author":"a","pages":10001,"price":-0.01}"""), BindMode.Create));
        Assert.That(e!.Errors["pages"], Is.EqualTo(new[] { "must be less than or equal to 10000" }));
        Assert.That(e.Errors["price"], Is.EqualTo(new[] { "must be greater than or equal to 0" }));
    }

    [Test]
    public void Decimal_places_count_after_trailing_zeros_are_dropped()
    {
        Assert.That(Binder().Bind(Parse("""{"title":"t","author":"a","price":"1.500"}"""), BindMode.Create).Fields["price"]!.GetValue<decimal>(), Is.EqualTo(1.5m));
        Assert.Throws<RecordValidationException>(() => Binder().Bind(Parse("""{"title":"t","author":"a","price":1.005}"""), BindMode.Create));
    }

    [Test]
    public void Unknown_fields_are_rejected_or_ignored_by_policy()
    {
        Assert.Throws<RecordValidationException>(() => Binder().Bind(Parse("""{"title":"t","author":"a","zzz":1}"""), BindMode.Create));
        Assert.That(Binder(UnknownFieldPolicy.Ignore).Bind(Parse("""{"title":"t","author":"a","zzz":1}"""), BindMode.Create).Fields.ContainsKey("zzz"), Is.False);
    }

    [Test]
    public void Record_ids_are_time_ordered_uuid_v7_and_validated_strictly()
    {
        var ids = Enumerable.Range(0, 2000).Select(_ => RecordIds.New()).ToList();
        Assert.That(ids, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
        Assert.That(ids.Distinct().Count(), Is.EqualTo(ids.Count));
        Assert.That(ids.All(i => Guid.Parse(i).Version == 7), Is.True);
        Assert.That(RecordIds.TryNormalize(ids[0].ToUpperInvariant(), out var lower) && lower == ids[0], Is.True);
        Assert.That(RecordIds.TryNormalize("../../etc/passwd", out _), Is.False);
        Assert.That(RecordIds.TryNormalize("{" + ids[0] + "}", out _), Is.False);
    }
}
