using LightS3.Model;
using LightS3.Yaml.Config;

namespace LightS3.Tests.Yaml;

/// <summary>One test per class of configuration error, each pinning the exact message and position.</summary>
public sealed class YamlValidationTests
{
    private static string Problems(string yaml, Func<string, string?>? env = null)
    {
        var error = Assert.Throws<ConfigurationException>(() => YamlConfigReader.Read(yaml, "api.yaml", env ?? (_ => null)));
        return error!.Message;
    }

    private const string Valid = """
        endpoints:
          - route: /items
            fields:
              name: { type: str }
        """;

    [Test]
    public void A_valid_file_reads_into_endpoint_models()
    {
        var config = YamlConfigReader.Read(Valid, "api.yaml", _ => null);
        Assert.That(config.Endpoints.Single().Model.Route, Is.EqualTo("/items"));
        Assert.That(config.Endpoints.Single().Model.Field("name")!.Kind, Is.EqualTo(FieldKind.String));
        Assert.That(config.Storage.Kind, Is.EqualTo(StorageKind.File), "default storage is the embedded file store");
    }

    [Test]
    public void Unknown_field_type()
    {
        Assert.That(Problems("""
            endpoints:
              - route: /items
                fields:
                  name:  { type: str }
                  price: { type: money }
            """), Does.Contain("api.yaml: endpoints[0].fields.price.type: unknown type 'money' (use str, string, int, integer, long, float, double, decimal, bool, boolean, datetime, uuid, enum, object, list, map, json, file, ref) (line 5, column 22)"));
    }

    [Test]
    public void Unknown_key()
    {
        Assert.That(Problems("""
            endpoints:
              - route: /items
                colour: blue
                fields:
                  name: { type: str }
            """), Does.Contain("api.yaml: endpoints[0].colour: unknown key 'colour' (allowed: route, fields, meta, reflect, description) (line 3, column 5)"));
    }

    [Test]
    public void Wrong_type_of_value()
    {
        Assert.That(Problems("""
            endpoints:
              - route: /items
                fields:
                  name: { type: str, max_length: lots }
            """), Does.Contain("api.yaml: endpoints[0].fields.name.max_length: 'lots' must be an integer (line 4, column 38)"));
        Assert.That(Problems("""
            endpoints:
              - route: /items
                fields: [name]
            """), Does.Contain("api.yaml: endpoints[0].fields: must be a mapping (line 3, column 13)"));
    }

    [Test]
    public void Duplicate_route()
    {
        Assert.That(Problems("""
            endpoints:
              - route: /items
                fields:
                  name: { type: str }
              - route: /items/
                fields:
                  name: { type: str }
            """), Does.Contain("api.yaml: endpoints[1].route: duplicate route '/items' (also endpoints[0]) (line 5, column 12)"));
    }

    [Test]
    public void Unresolvable_middleware()
    {
        Assert.That(Problems("middleware: [RateLimitMiddleware]\n" + Valid),
            Does.Contain("api.yaml: middleware[0]: unknown middleware 'RateLimitMiddleware' (known: CORSMiddleware) (line 1, column 14)"));
    }

    [Test]
    public void Missing_environment_variable_without_default()
    {
        Assert.That(Problems("storage:\n  url: \"s3://${BUCKET}/data\"\n" + Valid),
            Does.Contain("api.yaml: storage.url: environment variable 'BUCKET' is not set and has no default (use ${BUCKET:-default}) (line 2, column 8)"));
    }

    [Test]
    public void Bad_regex()
    {
        Assert.That(Problems("""
            endpoints:
              - route: /items
                fields:
                  code: { type: str, pattern: "([a-z" }
            """), Does.Contain("api.yaml: endpoints[0].fields.code.pattern: invalid pattern: Invalid pattern '([a-z' at offset 5. Unterminated [] set. (line 4, column 35)"));
    }

    [Test]
    public void Invalid_yaml_syntax()
    {
        Assert.That(Problems("endpoints:\n  - route: /items\n   fields: {"), Does.Contain("api.yaml: (document): invalid YAML:").And.Contain("(line 3"));
    }

    [Test]
    public void Unknown_method_permission_and_pagination_style()
    {
        var message = Problems("""
            endpoints:
              - route: /items
                fields:
                  name: { type: str }
                meta:
                  methods: [GET, FETCH]
                  authentication: { permission: IsWizard }
                  pagination: { style: infinite }
            """);
        Assert.That(message, Does.Contain("endpoints[0].meta.methods[1]: unknown method 'FETCH' (use GET, POST, PUT, PATCH, DELETE) (line 6, column 22)"));
        Assert.That(message, Does.Contain("endpoints[0].meta.authentication.permission: unknown permission 'IsWizard' (use AllowAny, IsAuthenticated, IsAdminUser, or policy:NAME for a host authorization policy) (line 7, column 37)"));
        Assert.That(message, Does.Contain("endpoints[0].meta.pagination.style: unknown style 'infinite' (use page_number, cursor or none) (line 8, column 28)"));
    }

    [Test]
    public void Model_level_problems_are_reported_at_the_offending_key_and_its_line()
    {
        Assert.That(Problems("""
            endpoints:
              - route: /items
                fields:
                  version: { type: int }
                  price: { type: str, ge: 0 }
                meta:
                  filtering: { fields: [nope] }
            """), Does.Contain("endpoints[0].fields.version: field 'version' redeclares an automatic field (id, created_at, updated_at, version are maintained by LightS3) (line 4, column 7)")
            .And.Contain("endpoints[0].fields.price.ge: field 'price': ge/gt/le/lt apply to numbers only (line 5, column 27)")
            .And.Contain("endpoints[0].meta.filtering.fields[0]: filtering fields name unknown field 'nope' (line 7, column 29)"));
    }

    [Test]
    public void An_unknown_type_is_reported_once_without_cascading_into_the_fields_constraints()
    {
        var problems = Problems("""
            endpoints:
              - route: /items
                fields:
                  price: { type: money, ge: 0, default: "12" }
                  kind: { type: enum }
            """);
        Assert.That(problems, Does.Contain("endpoints[0].fields.price.type: unknown type 'money'"));
        Assert.That(problems, Does.Not.Contain("numbers only").And.Not.Contain("default"));
        Assert.That(problems.Split('\n').Count(l => l.Contains("kind")), Is.EqualTo(1), problems);
    }

    [Test]
    public void Every_problem_is_reported_at_once()
    {
        var message = Problems("""
            storage: { url: "ftp://x" }
            endpoints:
              - route: /a
                fields:
                  x: { type: money }
              - fields:
                  y: { type: str }
            """);
        Assert.That(message, Does.StartWith("invalid configuration:"));
        Assert.That(message.Split('\n').Count(l => l.TrimStart().StartsWith("- api.yaml:")), Is.EqualTo(3));
    }

    [Test]
    public void Environment_variables_are_substituted_with_defaults()
    {
        var env = new Dictionary<string, string> { ["BUCKET"] = "prod-bucket", ["MAX"] = "80" };
        var config = YamlConfigReader.Read("""
            storage:
              url: "s3://${BUCKET}/${PREFIX:-apps/shop}"
              region: "${REGION:-eu-west-1}"
            endpoints:
              - route: /items
                fields:
                  name: { type: str, max_length: "${MAX}" }
                  note: { type: str, default: "${NOTE:-none yet}" }
            """, "api.yaml", k => env.GetValueOrDefault(k));
        Assert.That((config.Storage.Bucket, config.Storage.Prefix, config.Storage.Region), Is.EqualTo(("prod-bucket", "apps/shop", "eu-west-1")));
        Assert.That(config.Endpoints[0].Model.Field("name")!.MaxLength, Is.EqualTo(80));
        Assert.That(config.Endpoints[0].Model.Field("note")!.Default!.GetValue<string>(), Is.EqualTo("none yet"));
    }

    [Test]
    public void The_root_sample_and_the_example_are_valid()
    {
        var root = Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..");
        Assert.That(YamlConfigReader.ReadFile(Path.Combine(root, "lightapi.yaml"), _ => null).Endpoints.Select(e => e.Model.Route), Is.EqualTo(new[] { "/products", "/orders", "/tags" }));
        Assert.That(YamlConfigReader.ReadFile(Path.Combine(root, "examples", "yaml", "lightapi.yaml"), _ => null).Endpoints, Has.Count.EqualTo(1));
    }
}
