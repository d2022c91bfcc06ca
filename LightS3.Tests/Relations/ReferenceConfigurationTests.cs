using LightS3.Endpoints;
using LightS3.Model;
using LightS3.Tests.Support;
using LightS3.Yaml.Config;

namespace LightS3.Tests.Relations;

/// <summary>Reference declarations that cannot work are refused before serving, with the place and the reason.</summary>
public sealed class ReferenceConfigurationTests
{
    private static IReadOnlyList<string> YamlProblems(string yaml)
    {
        var e = Assert.Throws<ConfigurationException>(() => YamlConfigReader.Read(yaml, "refs.yaml", _ => null))!;
        return e.Problems;
    }

    [Test]
    public void A_YAML_reference_to_a_route_the_file_does_not_serve_is_reported_at_its_to_key()
    {
        var problems = YamlProblems("""
            endpoints:
              - route: /books
                fields:
                  author: { type: ref, to: /writers }
              - route: /authors
                fields:
                  name: { type: str }
            """);
        Assert.That(problems, Has.Some.Contains("endpoints[0].fields.author.to: references '/writers', which is not a route of this file").And.Contains("line 4"),
            string.Join("\n", problems));
    }

    [Test]
    public void A_YAML_reference_without_target_with_an_unknown_rule_or_set_null_on_a_required_field_is_refused()
    {
        var problems = YamlProblems("""
            endpoints:
              - route: /authors
                fields:
                  name: { type: str }
              - route: /books
                fields:
                  a: { type: ref }
                  b: { type: ref, to: /authors, on_delete: explode }
                  c: { type: ref, to: /authors, on_delete: set_null }
                  d: { type: str, to: /authors }
            """);
        var text = string.Join("\n", problems);
        Assert.That(text, Does.Contain("endpoints[1].fields.a: a reference needs 'to'"));
        Assert.That(text, Does.Contain("endpoints[1].fields.b.on_delete: unknown on_delete 'explode'"));
        Assert.That(text, Does.Contain("'c' has on_delete: set_null, so it must be optional"));
        Assert.That(text, Does.Contain("endpoints[1].fields.d.to: applies to reference fields only"));
    }

    [Test]
    public void A_YAML_reference_field_is_an_indexed_string_with_its_rule()
    {
        var field = LibraryYaml.Models().Single(m => m.Route == "/books").Fields.Single(f => f.Name == "author");
        Assert.That((field.Kind, field.Index, field.Nullable, field.Ref!.To, field.Ref.OnDelete), Is.EqualTo((FieldKind.String, true, true, "/authors", OnDelete.Cascade)));
    }

    [Test]
    public void CSharp_and_YAML_read_the_library_into_the_same_references()
    {
        static IEnumerable<string> Describe(EndpointModel m) =>
            m.Fields.Where(f => f.Ref is not null).Select(f => $"{f.Name}:{f.Kind}:{f.Index}:{f.Nullable}:{f.Ref!.OnDelete}");
        var yaml = LibraryYaml.Models().ToDictionary(m => m.Route);
        Assert.That(Describe(AttributeModelReader.Read(typeof(BookEndpoint), "/books")), Is.EqualTo(Describe(yaml["/books"])));
        Assert.That(Describe(AttributeModelReader.Read(typeof(AuthorEndpoint), "/authors")), Is.EqualTo(Describe(yaml["/authors"])));
        Assert.That(Describe(AttributeModelReader.Read(typeof(ReviewEndpoint), "/reviews")), Is.EqualTo(Describe(yaml["/reviews"])));
    }

    public sealed class CountRef : RestEndpoint<CountRef>
    {
        [Ref("/authors")] public int Author { get; set; }
    }

    [Test]
    public void A_Ref_on_a_property_that_is_not_a_string_is_refused()
    {
        var e = Assert.Throws<ConfigurationException>(() => AttributeModelReader.Read(typeof(CountRef), "/counts"))!;
        Assert.That(e.Message, Does.Contain("property Author").And.Contain("must be a string"));
    }

    [Test]
    public async Task An_app_whose_reference_targets_an_unregistered_endpoint_does_not_start()
    {
        var e = Assert.ThrowsAsync<ConfigurationException>(async () =>
        {
            await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<BookEndpoint>("/books"));
        })!;
        Assert.That(e.Message, Does.Contain("reference field 'author' references '/authors', but no endpoint is registered there"));
        Assert.That(e.Message, Does.Contain("reference field 'genre' references class GenreEndpoint, which is not registered at any route"));
        await Task.CompletedTask;
    }
}
