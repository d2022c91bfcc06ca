using System.Text;
using System.Text.Json.Nodes;
using LightS3.Endpoints;
using LightS3.Http;
using LightS3.Model;
using LightS3.Query;
using LightS3.Shaping;

namespace LightS3.Tests.Shaping;

/// <summary>The forward-only projection of stored bytes, and the parsing of <c>?fields=</c> against a model.</summary>
public sealed class JsonProjectionTests
{
    private static readonly EndpointModel BookModel = AttributeModelReader.Read(typeof(ShapedBook), "/books");

    private static string Project(string json, string fields) =>
        Encoding.UTF8.GetString(JsonProjection.Project(Encoding.UTF8.GetBytes(json), FieldSelection.Parse(BookModel, fields)).Span);

    [Test]
    public void Selected_members_are_copied_byte_for_byte_in_document_order_and_the_rest_skipped()
    {
        const string doc = """{"id":"a","title":"caf\u00e9 \"x\"","tags":["a",{"b":[1,2]}],"pages":12.50,"author":{"name":"Ann","email":null},"version":3}""";
        Assert.That(Project(doc, "version,title"), Is.EqualTo("""{"title":"caf\u00e9 \"x\"","version":3}"""), "escapes and order as stored");
        Assert.That(Project(doc, "pages,author.name"), Is.EqualTo("""{"pages":12.50,"author":{"name":"Ann"}}"""), "numbers as written, nested path");
        Assert.That(Project(doc, "author,author.name"), Is.EqualTo("""{"author":{"name":"Ann","email":null}}"""), "a whole member wins over a narrower path");
        Assert.That(Project(doc, "id"), Is.EqualTo("""{"id":"a"}"""));
    }

    [Test]
    public void A_nested_selection_applies_to_every_object_of_a_list_and_keeps_other_values()
    {
        var model = AttributeModelReader.Read(typeof(Support.NestedOrderEndpoint), "/orders");
        var selection = FieldSelection.Parse(model, "lines.qty,customer");
        var bytes = Encoding.UTF8.GetBytes("""{"customer":"c","lines":[{"sku":"a","qty":1},{"sku":"b","qty":2}],"prices":{"x":1}}""");
        Assert.That(Encoding.UTF8.GetString(JsonProjection.Project(bytes, selection).Span), Is.EqualTo("""{"customer":"c","lines":[{"qty":1},{"qty":2}]}"""));
    }

    [Test]
    public void Unknown_hidden_and_malformed_names_are_400_problems_naming_them()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Refused(BookModel, "title,nope"), Does.Contain("'nope' is not a field"));
            Assert.That(Refused(BookModel, "author.age"), Does.Contain("'age' is not a field of 'author'"));
            Assert.That(Refused(BookModel, "title.x"), Does.Contain("'title' has no fields"));
            Assert.That(Refused(BookModel, "title,,id"), Does.Contain("separated by commas"));
            Assert.That(Refused(BookModel, "author."), Does.Contain("not a field path"));
            Assert.That(Refused(AttributeModelReader.Read(typeof(SerializedDocument), "/documents"), "title,secret"), Does.Contain("'secret'"),
                "never wider than the read serializer");
        });
    }

    private static string Refused(EndpointModel model, string fields)
    {
        var e = Assert.Throws<InvalidQueryException>(() => FieldSelection.Parse(model, fields))!;
        Assert.That(e.Parameter, Is.EqualTo("fields"));   // answered as a 400 naming the parameter
        return e.Message;
    }
}
