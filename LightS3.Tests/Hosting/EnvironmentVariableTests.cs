using System.Text.RegularExpressions;
using LightS3.Hosting;
using LightS3.Model;
using LightS3.Tests.Docs;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace LightS3.Tests.Hosting;

/// <summary>
/// Every flat <c>LIGHTS3_*</c> variable docs/configuration.md lists reaches the option it names, through one parser whose
/// errors name the variable and the value; the docs table and the code's table hold the same names.
/// </summary>
public sealed partial class EnvironmentVariableTests
{
    // a sample value per variable, and the option value it must produce (as text)
    private static readonly Dictionary<string, (string Value, string Expected)> Samples = new(StringComparer.Ordinal)
    {
        ["LIGHTS3_STORAGE_URL"] = ("s3://shop/eu/", "S3"),
        ["LIGHTS3_STORAGE"] = ("memory", "Memory"),
        ["LIGHTS3_DATA_DIR"] = ("/srv/data", "/srv/data"),
        ["LIGHTS3_S3_BUCKET"] = ("books", "books"),
        ["LIGHTS3_S3_PREFIX"] = ("tenant-a", "tenant-a"),
        ["LIGHTS3_S3_CREATE_BUCKET"] = ("yes", "True"),
        ["LIGHTS3_S3_TIMEOUT_SECONDS"] = ("2.5", "00:00:02.5000000"),
        ["LIGHTS3_MAX_BODY_BYTES"] = ("2MiB", "2097152"),
        ["LIGHTS3_MAX_BULK_BODY_BYTES"] = ("64MB", "64000000"),
        ["LIGHTS3_BULK_PARALLELISM"] = ("4", "4"),
        ["LIGHTS3_IDEMPOTENCY_KEY_LIFETIME"] = ("2h", "02:00:00"),
        ["LIGHTS3_DEFAULT_PERMISSION"] = ("IsAuthenticated", "IsAuthenticated"),
        ["LIGHTS3_REDIS_URL"] = ("redis:6379", "redis:6379"),
        ["LIGHTS3_CACHE_JOURNAL"] = ("/var/journal", "/var/journal"),
        ["LIGHTS3_CURSOR_KEY"] = ("key-one-0123456789, key-two-0123456789", "key-one-0123456789,key-two-0123456789"),
        ["LIGHTS3_CORS_ORIGINS"] = ("https://a.example,https://b.example", "https://a.example,https://b.example"),
        ["LIGHTS3_TRUSTED_PROXIES"] = ("10.0.0.5", "10.0.0.5"),
        ["LIGHTS3_STORE_REQUEST_HEADER"] = ("on", "True"),
        ["LIGHTS3_GC_INTERVAL"] = ("300", "00:05:00"),
        ["LIGHTS3_GC_GRACE"] = ("00:20:00", "00:20:00"),
        ["LIGHTS3_EXPIRY_SWEEP_INTERVAL"] = ("500ms", "00:00:00.5000000"),
        ["LIGHTS3_FILES_SIGNING_KEY"] = ("files-key-0123456789", "files-key-0123456789"),
        ["LIGHTS3_FILES_EVENT_TOKEN"] = ("event-token", "event-token"),
        ["LIGHTS3_JWT_SECRET"] = ("jwt-secret", "jwt-secret"),
        ["LIGHTS3_JWT_PUBLIC_KEY"] = ("PEM", "PEM"),
        ["LIGHTS3_JWT_ALGORITHM"] = ("RS256", "RS256"),
        ["LIGHTS3_JWT_ISSUER"] = ("https://issuer", "https://issuer"),
        ["LIGHTS3_JWT_AUDIENCE"] = ("api", "api"),
        ["LIGHTS3_JWT_ADMIN_CLAIM"] = ("admin", "admin"),
        ["LIGHTS3_ADMIN_ROLES"] = ("ops,root", "ops,root"),
        ["LIGHTS3_ADMIN"] = ("1", "True"),
        ["LIGHTS3_OPENAPI"] = ("/spec.json", "/spec.json"),
    };

    [GeneratedRegex(@"^\|[^|]*\|\s*`(LIGHTS3_[A-Z0-9_]+)`", RegexOptions.Multiline)]
    private static partial Regex DocumentedVariable();

    private static IEnumerable<string> Documented() =>
        DocumentedVariable().Matches(File.ReadAllText(Path.Combine(DocSample.RepositoryRoot(), "docs", "configuration.md"))).Select(m => m.Groups[1].Value);

    [Test]
    public void The_docs_table_and_the_code_name_the_same_variables_once()
    {
        var documented = Documented().ToList();
        Assert.That(documented, Is.Unique, "each variable is listed once in docs/configuration.md");
        Assert.That(documented, Is.EquivalentTo(EnvironmentVariables.All.Select(v => v.Name)));
        Assert.That(Samples.Keys, Is.EquivalentTo(documented), "every documented variable has a round-trip sample below");
    }

    public static IEnumerable<string> Names() => EnvironmentVariables.All.Select(v => v.Name);

    [TestCaseSource(nameof(Names))]
    public void A_documented_variable_reaches_its_option(string name)
    {
        var (value, expected) = Samples[name];
        var option = EnvironmentVariables.All.Single(v => v.Name == name).Option.Split(',')[0].Trim();
        var untouched = new LightS3Options();
        var set = new LightS3Options();
        EnvironmentSettings.Apply(Config(name, value), set);
        Assert.That(Read(set, option), Is.EqualTo(expected), $"{name}={value} → LightS3:{option}");
        Assert.That(Read(untouched, option), Is.Not.EqualTo(expected), "the sample differs from the default, so the round trip proves something");
    }

    [TestCase("LIGHTS3_S3_CREATE_BUCKET", "maybe", "is not a boolean")]
    [TestCase("LIGHTS3_ADMIN", "sure", "is not a boolean")]
    [TestCase("LIGHTS3_GC_INTERVAL", "soon", "is not a duration")]
    [TestCase("LIGHTS3_GC_GRACE", "-5", "is not a duration")]
    [TestCase("LIGHTS3_MAX_BODY_BYTES", "big", "is not a size")]
    [TestCase("LIGHTS3_BULK_PARALLELISM", "many", "is not a whole number")]
    [TestCase("LIGHTS3_STORAGE_URL", "ftp://x", "is not a storage URL")]
    public void A_value_that_does_not_parse_is_an_error_naming_the_variable_and_the_value(string name, string value, string what)
    {
        var error = Assert.Throws<ConfigurationException>(() => EnvironmentSettings.Apply(Config(name, value), new LightS3Options()))!;
        Assert.That(error.Message, Does.StartWith($"{name}: '{value}' ").And.Contain(what));
    }

    [Test]
    public void A_bad_value_stops_the_app_at_start_naming_the_variable()
    {
        var error = Assert.Catch(() =>
        {
            var app = LightS3App.Create([], b =>
            {
                b.WebHost.UseUrls("http://127.0.0.1:0");
                b.Configuration["LIGHTS3_STORAGE"] = "memory";
                b.Configuration["LIGHTS3_S3_CREATE_BUCKET"] = "maybe";
            });
            app.StartAsync().GetAwaiter().GetResult();
        })!;
        Assert.That(error.ToString(), Does.Contain("LIGHTS3_S3_CREATE_BUCKET: 'maybe' is not a boolean"));
    }

    private static IConfiguration Config(string name, string value) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [name] = value }).Build();

    // the option at a LightS3-section path ("S3:Bucket"), as text (lists joined by commas)
    private static string? Read(object options, string path)
    {
        object? current = options;
        foreach (var part in path.Split(':'))
            current = current?.GetType().GetProperty(part)?.GetValue(current);
        return current switch
        {
            null => null,
            string s => s,
            System.Collections.IEnumerable list => string.Join(",", list.Cast<object>()),
            IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            var other => other.ToString(),
        };
    }
}
