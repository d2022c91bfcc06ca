using LightS3.Endpoints;
using LightS3.Model;
using LightS3.Tests.Support;

namespace LightS3.Tests.Model;

public sealed class AttributeModelReaderTests
{
    private static EndpointModel Read<T>(string route = "/things") => AttributeModelReader.Read(typeof(T), route);

    [Test]
    public void Properties_become_snake_case_fields_with_kinds_from_their_types()
    {
        var model = Read<BookEndpoint>("/books");
        Assert.That(model.Fields.Select(f => (f.Name, f.Kind)), Is.EqualTo(new[]
        {
            ("title", FieldKind.String), ("author", FieldKind.String), ("isbn", FieldKind.String), ("price", FieldKind.Decimal),
            ("pages", FieldKind.Int), ("in_stock", FieldKind.Bool), ("genre", FieldKind.Enum), ("published_at", FieldKind.DateTime),
            ("ref", FieldKind.Guid), ("rating", FieldKind.Double), ("sold", FieldKind.Long),
        }));
        Assert.That(model.Collection, Is.EqualTo("books"));
        Assert.That(model.Methods, Is.EqualTo(HttpVerbs.All));
    }

    [Test]
    public void Nullability_and_defaults_decide_what_is_required()
    {
        var model = Read<BookEndpoint>("/books");
        Assert.Multiple(() =>
        {
            Assert.That(model.Field("title")!.Required, Is.True);
            Assert.That(model.Field("isbn")!.Required, Is.False);
            Assert.That(model.Field("isbn")!.Nullable, Is.True);
            Assert.That(model.Field("in_stock")!.Required, Is.False, "has a default");
            Assert.That(model.Field("in_stock")!.Default!.GetValue<bool>(), Is.True);
            Assert.That(model.Field("genre")!.Default!.GetValue<string>(), Is.EqualTo("Fiction"));
            Assert.That(model.Field("pages")!.Nullable, Is.True);
        });
    }

    [Test]
    public void Constraints_are_read_from_the_field_attribute()
    {
        var model = Read<BookEndpoint>("/books");
        var title = model.Field("title")!;
        var price = model.Field("price")!;
        Assert.That((title.MinLength, title.MaxLength), Is.EqualTo((1, 100)));
        Assert.That((price.Ge, price.DecimalPlaces), Is.EqualTo((0m, 2)));
        Assert.That(model.Field("isbn")!.Unique, Is.True);
        Assert.That(model.Field("isbn")!.Pattern!.IsMatch("9780132350884"), Is.True);
        Assert.That(model.Field("genre")!.EnumValues, Is.EqualTo(new[] { "Fiction", "Science", "History" }));
        Assert.That(model.Field("scratch"), Is.Null, "Exclude removes the property from the model");
    }

    [Test]
    public void Allowed_methods_and_serializer_come_from_class_attributes()
    {
        Assert.That(Read<ReadOnlyEndpoint>().Methods, Is.EqualTo(HttpVerbs.Get));
        var serializer = Read<SecretiveEndpoint>().Serializer;
        Assert.That((serializer.Read, serializer.Write), Is.EqualTo((new[] { "id", "name", "version" }, new[] { "id", "name" })));
    }

    public class UnsupportedType : RestEndpoint<UnsupportedType>
    {
        public TimeSpan Duration { get; set; }
    }

    public class RedeclaresAutoField : RestEndpoint<RedeclaresAutoField>
    {
        public new string CreatedAt { get; set; } = "";
    }

    public class RenamesOntoVersion : RestEndpoint<RenamesOntoVersion>
    {
        [Field(Name = "version")] public int Revision { get; set; }
    }

    public class BadPattern : RestEndpoint<BadPattern>
    {
        [Field(Pattern = "([")] public string Code { get; set; } = "";
    }

    public class LengthOnNumber : RestEndpoint<LengthOnNumber>
    {
        [Field(MinLength = 2)] public int Count { get; set; }
    }

    public class BadDefault : RestEndpoint<BadDefault>
    {
        [Field(Default = "lots")] public int Count { get; set; }
    }

    public class UnknownSerializerField : RestEndpoint<UnknownSerializerField>
    {
        public string Name { get; set; } = "";
    }

    [Serializer(Fields = ["id", "nope"])]
    public class SerializerNamesMissingField : RestEndpoint<SerializerNamesMissingField>
    {
        public string Name { get; set; } = "";
    }

    [TestCase(typeof(UnsupportedType), "class UnsupportedType, property Duration: unsupported type TimeSpan")]
    [TestCase(typeof(RedeclaresAutoField), "class RedeclaresAutoField, property CreatedAt: 'created_at' redeclares an automatic field")]
    [TestCase(typeof(RenamesOntoVersion), "class RenamesOntoVersion, property Revision: 'version' redeclares an automatic field")]
    [TestCase(typeof(BadPattern), "class BadPattern, property Code: invalid pattern '(['")]
    [TestCase(typeof(LengthOnNumber), "class LengthOnNumber: field 'count': length and pattern constraints apply to strings only")]
    [TestCase(typeof(BadDefault), "class BadDefault, property Count: default lots: must be an integer")]
    [TestCase(typeof(SerializerNamesMissingField), "class SerializerNamesMissingField: serializer names unknown field 'nope'")]
    public void A_bad_declaration_fails_at_register_naming_class_and_property(Type type, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => AttributeModelReader.Read(type, "/x"));
        Assert.That(error!.Message, Does.Contain(message));
    }

    [Test]
    public void A_type_that_is_not_an_endpoint_is_refused()
    {
        var error = Assert.Throws<ConfigurationException>(() => AttributeModelReader.Read(typeof(string), "/x"));
        Assert.That(error!.Message, Does.Contain("subclass of RestEndpoint<TSelf>"));
    }

    [TestCase("/books/{id}")]
    [TestCase("/")]
    [TestCase("/bo oks")]
    public void An_unservable_route_is_refused(string route)
    {
        Assert.Throws<ConfigurationException>(() => AttributeModelReader.Read(typeof(ReadOnlyEndpoint), route));
    }

    [Test]
    public async Task Two_endpoints_on_one_route_fail_at_register()
    {
        var error = Assert.ThrowsAsync<ConfigurationException>(async () =>
        {
            await using var app = await TestApp.StartAsync(TestStore.Memory, a =>
            {
                a.Register<ReadOnlyEndpoint>("/things");
                a.Register<AppendOnlyEndpoint>("/Things/");
            });
        });
        Assert.That(error!.Message, Does.Contain("route '/Things' is already served by class ReadOnlyEndpoint"));
        await Task.CompletedTask;
    }

    [Test]
    public void Typed_access_round_trips_a_record()
    {
        var json = new BookEndpoint { Title = "T", Author = "A", Price = 9.99m, Genre = Genre.History, Pages = 12 }.ToJson();
        Assert.That((json["genre"]!.GetValue<string>(), json["price"]!.GetValue<decimal>()), Is.EqualTo(("History", 9.99m)));
        json["id"] = "0190b3f5-3c41-7d2b-9c3e-1f2a3b4c5d6e";
        json["version"] = 4;
        var book = BookEndpoint.FromJson(json);
        Assert.That((book.Title, book.Genre, book.Pages, book.Version, book.Id), Is.EqualTo(("T", Genre.History, (int?)12, 4L, "0190b3f5-3c41-7d2b-9c3e-1f2a3b4c5d6e")));
    }
}
