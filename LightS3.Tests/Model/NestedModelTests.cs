using System.Text.Json.Nodes;
using LightS3.Endpoints;
using LightS3.Model;
using LightS3.Tests.Support;
using LightS3.Yaml.Config;

namespace LightS3.Tests.Model;

/// <summary>Nested types in the endpoint model: the C# and YAML front doors agree, and bad declarations fail at start.</summary>
public sealed class NestedModelTests
{
    private static string Describe(FieldModel f) =>
        $"{f.Name}:{f.Kind}{(f.Nullable ? "?" : "")}{(f.Required ? "!" : "")}{(f.Index ? "#" : "")}"
        + $"[{f.MinLength},{f.MaxLength},{f.Ge},{f.Pattern},{f.MinItems},{f.MaxItems},{f.UniqueItems},{f.Default?.ToJsonString()}]"
        + (f.Element is { } e ? "<" + Describe(e with { Name = "" }) + ">" : "")
        + (f.Fields.Count > 0 ? "{" + string.Join(" ", f.Fields.Select(Describe)) + "}" : "");

    [Test]
    public void The_csharp_class_and_its_yaml_twin_have_the_same_model()
    {
        var csharp = AttributeModelReader.Read(typeof(NestedOrderEndpoint), "/orders");
        var yaml = NestedYaml.Model();
        Assert.That(yaml.Fields.Select(Describe), Is.EqualTo(csharp.Fields.Select(Describe)));
        Assert.That(yaml.IndexedFields.Select(f => (f.Name, f.MultiValued)), Is.EqualTo(csharp.IndexedFields.Select(f => (f.Name, f.MultiValued))));
        Assert.That(csharp.IndexedFields.Select(f => f.Name), Is.EqualTo(new[] { "address.zip", "tags", "lines.sku" }));
    }

    [Test]
    public void Nested_types_are_read_with_their_defaults_and_nullability()
    {
        var model = AttributeModelReader.Read(typeof(NestedOrderEndpoint), "/orders");
        Assert.That(model.Field("address")!.Required, Is.True, "address.city is required, so address is");
        Assert.That(model.Field("preferences")!.Default!.ToJsonString(), Is.EqualTo("""{"theme":"light","page_size":10}"""));
        Assert.That(model.Field("tags")!.Default!.ToJsonString(), Is.EqualTo("[]"));
        Assert.That(model.Field("tags")!.Element!.MaxLength, Is.EqualTo(20), "string constraints on a list apply to its items");
        Assert.That(model.Field("extra")!.Kind, Is.EqualTo(FieldKind.Json));
        Assert.That(model.Resolve("address.zip")!.PathSegments, Is.EqualTo(new[] { "address", "zip" }));
        Assert.That(model.Resolve("address"), Is.Null, "an object is not itself a filter");
    }

    public class RequiredPreferencesEndpoint : RestEndpoint<RequiredPreferencesEndpoint>
    {
        [Field(Required = true)] public Preferences? Preferences { get; set; }
        public Preferences? Optional { get; set; }
    }

    [Test]
    public void Required_keeps_an_object_required_even_when_its_members_have_defaults()
    {
        var model = AttributeModelReader.Read(typeof(RequiredPreferencesEndpoint), "/x");
        Assert.That((model.Field("preferences")!.Required, model.Field("preferences")!.Nullable, model.Field("preferences")!.Default), Is.EqualTo((true, false, (JsonNode?)null)));
        Assert.That((model.Field("optional")!.Required, model.Field("optional")!.Nullable, model.Field("optional")!.Default), Is.EqualTo((false, true, (JsonNode?)null)));
    }

    public sealed class Node
    {
        public string Name { get; set; } = "";
        public List<Node> Children { get; set; } = [];
    }

    public class RecursiveEndpoint : RestEndpoint<RecursiveEndpoint>
    {
        public Node Root { get; set; } = new();
    }

    public class IntKeyedEndpoint : RestEndpoint<IntKeyedEndpoint>
    {
        public Dictionary<int, string> Names { get; set; } = [];
    }

    public sealed class Inner
    {
        [Field(Unique = true)] public string Code { get; set; } = "";
    }

    public class NestedUniqueEndpoint : RestEndpoint<NestedUniqueEndpoint>
    {
        public Inner Inner { get; set; } = new();
    }

    public class IndexedObjectListEndpoint : RestEndpoint<IndexedObjectListEndpoint>
    {
        [Field(Index = true)] public List<Inner> Items { get; set; } = [];
    }

    [Filtering(Ordering = ["tags"])]
    public class OrdersByTag : RestEndpoint<OrdersByTag>
    {
        public List<string> Tags { get; set; } = [];
    }

    public class ItemsOnScalarEndpoint : RestEndpoint<ItemsOnScalarEndpoint>
    {
        [Field(MaxItems = 3)] public string Name { get; set; } = "";
    }

    [TestCase(typeof(RecursiveEndpoint), "type Node contains itself")]
    [TestCase(typeof(IntKeyedEndpoint), "map keys are strings")]
    [TestCase(typeof(NestedUniqueEndpoint), "field 'inner.code': unique applies to top-level scalar fields only")]
    [TestCase(typeof(IndexedObjectListEndpoint), "field 'items': index applies to scalar fields")]
    [TestCase(typeof(ItemsOnScalarEndpoint), "field 'name': min_items, max_items and unique_items apply to lists only")]
    [TestCase(typeof(OrdersByTag), "ordering fields name the list 'tags' (lists can only be filtered)")]
    public void A_bad_nested_declaration_fails_at_register(Type type, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => AttributeModelReader.Read(type, "/x"));
        Assert.That(error!.Message, Does.Contain(message));
    }

    [TestCase("a: { type: list }", "endpoints[0].fields.a: a list needs 'items'")]
    [TestCase("a: { type: map }", "endpoints[0].fields.a: a map needs 'values'")]
    [TestCase("a: { type: object }", "endpoints[0].fields.a: an object needs 'fields'")]
    [TestCase("a: { type: list, items: money }", "endpoints[0].fields.a.items: unknown type 'money'")]
    [TestCase("a: { type: list, items: { type: object } }", "endpoints[0].fields.a.items: an object needs 'fields'")]
    [TestCase("a: { type: object, fields: { b: { type: int, min_length: 2 } } }", "field 'a.b': length and pattern constraints apply to strings only")]
    [TestCase("a: { type: str, items: str }", "endpoints[0].fields.a.items: 'items' applies to list fields only")]
    [TestCase("a: { type: list, items: str, default: x }", "endpoints[0].fields.a.default: object, list, map and json fields take no default")]
    public void A_bad_nested_yaml_field_is_reported_at_its_path(string field, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => YamlConfigReader.Read($"endpoints:\n  - route: /x\n    fields:\n      {field}\n", "api.yaml", _ => null));
        Assert.That(error!.Message, Does.Contain(message));
    }

    [Test]
    public void Reflection_infers_nested_objects_and_lists()
    {
        var fields = SchemaInference.Infer([
            JsonNode.Parse("""{"name":"a","address":{"city":"Paris","zip":75001},"tags":["x"],"mixed":[1,"a"],"empty":[],"weird":{"a-b":1}}""")!.AsObject(),
            JsonNode.Parse("""{"name":"b","address":{"city":"Lyon","geo":{"lat":1.5}},"tags":[]}""")!.AsObject(),
        ]);
        var byName = fields.ToDictionary(f => f.Name);
        Assert.That(byName["address"].Kind, Is.EqualTo(FieldKind.Object));
        Assert.That(byName["address"].Fields.Select(f => (f.Name, f.Kind)), Is.EqualTo(new[] { ("city", FieldKind.String), ("zip", FieldKind.Int), ("geo", FieldKind.Object) }));
        Assert.That((byName["tags"].Kind, byName["tags"].Element!.Kind), Is.EqualTo((FieldKind.List, FieldKind.String)));
        Assert.That((byName["mixed"].Element!.Kind, byName["empty"].Kind, byName["weird"].Kind), Is.EqualTo((FieldKind.Json, FieldKind.Json, FieldKind.Json)),
            "what cannot be typed is kept as json");
    }

    [Test]
    public void Typed_views_read_and_write_nested_values()
    {
        var record = JsonNode.Parse("""
            {"customer":"a","address":{"city":"Paris","zip":null,"country":"FR"},"tags":["x"],"lines":[{"sku":"s","qty":2}],
             "prices":{"eur":1.5},"preferences":{"theme":"dark","page_size":5},"extra":{"k":[1]}}
            """)!.AsObject();
        var typed = NestedOrderEndpoint.FromJson(record);
        Assert.That((typed.Address.City, typed.Lines[0].Qty, typed.Prices["eur"], typed.Preferences.PageSize, typed.Extra!.Value.GetProperty("k")[0].GetInt32()),
            Is.EqualTo(("Paris", 2, 1.5m, 5, 1)));
        Assert.That(typed.ToJson()["preferences"]!.ToJsonString(), Is.EqualTo("""{"theme":"dark","page_size":5}"""), "nested members keep their snake_case names");
    }
}
