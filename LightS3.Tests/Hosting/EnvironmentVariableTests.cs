using System.Text.RegularExpressions;
using LightS3.Tests.Docs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LightS3.Tests.Hosting;

/// <summary>
/// Every flat <c>LIGHTS3_*</c> variable docs/configuration.md lists reaches the option it names through the one
/// configuration provider, whose parser's errors name the variable (or key) and the value and fail start-up; the docs
/// table and the code's table hold the same names; a variable wins over the same <c>LightS3:*</c> key of any source.
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
        ["LIGHTS3_S3_API_ACCESS_KEY"] = ("GATEWAYKEY", "GATEWAYKEY=gateway-secret"),
        ["LIGHTS3_S3_API_SECRET_KEY"] = ("gateway-secret", "GATEWAYKEY=gateway-secret"),
    };

    // variables read as a pair: the other half of the sample
    private static readonly Dictionary<string, (string Name, string Value)> Companions = new(StringComparer.Ordinal)
    {
        ["LIGHTS3_S3_API_ACCESS_KEY"] = ("LIGHTS3_S3_API_SECRET_KEY", "gateway-secret"),
        ["LIGHTS3_S3_API_SECRET_KEY"] = ("LIGHTS3_S3_API_ACCESS_KEY", "GATEWAYKEY"),
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

    // the test cases come from the docs table: a variable added there without a sample or a mapping fails
    public static IEnumerable<string> Names() => Documented();

    [TestCaseSource(nameof(Names))]
    public void A_documented_variable_reaches_its_option(string name)
    {
        Assert.That(Samples.TryGetValue(name, out var sample), $"{name} has a sample");
        var variable = EnvironmentVariables.All.SingleOrDefault(v => v.Name == name);
        Assert.That(variable, Is.Not.Null, $"{name} is mapped by the configuration provider");
        var option = variable!.Option.Split(',')[0].Trim();
        var values = new Dictionary<string, string?> { [name] = sample.Value };
        if (Companions.TryGetValue(name, out var other)) values[other.Name] = other.Value;
        Assert.That(Read(Resolve(values), option), Is.EqualTo(sample.Expected), $"{name}={sample.Value} → LightS3:{option}");
        Assert.That(Read(Resolve([]), option), Is.Not.EqualTo(sample.Expected), "the sample differs from the default, so the round trip proves something");
    }

    [TestCase("LIGHTS3_S3_CREATE_BUCKET", "maybe", "is not a boolean")]
    [TestCase("LIGHTS3_ADMIN", "sure", "is not a boolean")]
    [TestCase("LIGHTS3_GC_INTERVAL", "soon", "is not a duration")]
    [TestCase("LIGHTS3_GC_GRACE", "-5", "is not a duration")]
    [TestCase("LIGHTS3_MAX_BODY_BYTES", "big", "is not a size")]
    [TestCase("LIGHTS3_BULK_PARALLELISM", "many", "is not a whole number")]
    [TestCase("LIGHTS3_STORAGE_URL", "ftp://x", "is not a storage URL")]
    [TestCase("LightS3:S3:CreateBucket", "maybe", "is not a boolean")]
    [TestCase("LightS3:Changes:Settle", "soon", "is not a duration")]
    public void A_value_that_does_not_parse_is_an_error_naming_the_setting_and_the_value(string name, string value, string what)
    {
        using var configuration = new LightS3Configuration(Config(name, value));
        Assert.That(configuration.Errors, Has.Exactly(1).StartsWith($"{name}: '{value}' ").And.Contains(what));
    }

    [TestCase("LIGHTS3_S3_CREATE_BUCKET", "maybe", "is not a boolean")]
    [TestCase("LIGHTS3_GC_INTERVAL", "soon", "is not a duration")]
    [TestCase("LIGHTS3_MAX_BODY_BYTES", "big", "is not a size")]
    [TestCase("LightS3:S3:CreateBucket", "maybe", "is not a boolean")]
    [TestCase("LightS3:Jobs:LeaseDuration", "soon", "is not a duration")]
    [TestCase("LightS3:MaxBulkBodyBytes", "huge", "is not a size")]
    public async Task A_value_that_does_not_parse_fails_start_naming_the_setting_and_the_value(string name, string value, string what)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration["LIGHTS3_STORAGE"] = "memory";
        builder.Configuration[name] = value;
        builder.Services.AddLightS3();
        await using var app = builder.Build();
        var error = Assert.CatchAsync<OptionsValidationException>(() => app.StartAsync())!;
        Assert.That(error.Failures, Has.Exactly(1).StartsWith($"{name}: '{value}' ").And.Contains(what));
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

    [Test]
    public void A_variable_wins_over_the_same_key_of_any_other_source()
    {
        var appsettings = new Dictionary<string, string?> { ["LightS3:S3:Bucket"] = "from-appsettings" };
        var variables = new Dictionary<string, string?> { ["LIGHTS3_S3_BUCKET"] = "from-variable" };
        Assert.That(Resolve(appsettings).S3.Bucket, Is.EqualTo("from-appsettings"), "alone, the appsettings key is read");
        Assert.That(Resolve(appsettings, variables).S3.Bucket, Is.EqualTo("from-variable"), "the variable after appsettings");
        Assert.That(Resolve(variables, appsettings).S3.Bucket, Is.EqualTo("from-variable"), "the variable before appsettings: still the variable");
    }

    [Test]
    public void An_aws_endpoint_or_key_pair_fills_only_what_the_section_leaves_unset()
    {
        var aws = new Dictionary<string, string?> { ["AWS_ENDPOINT_URL"] = "http://aws-variable", ["AWS_ACCESS_KEY_ID"] = "AK", ["AWS_SECRET_ACCESS_KEY"] = "SK", ["AWS_REGION"] = "eu-west-3" };
        var alone = Resolve(aws);
        Assert.That((alone.S3.ServiceUrl, alone.S3.AccessKeyId, alone.S3.SecretAccessKey, alone.S3.Region), Is.EqualTo(("http://aws-variable", "AK", "SK", "eu-west-3")));
        var section = new Dictionary<string, string?> { ["LightS3:S3:ServiceUrl"] = "http://app", ["LightS3:S3:AccessKeyId"] = "APP", ["LightS3:S3:SecretAccessKey"] = "APPS", ["LightS3:S3:Region"] = "us-west-2" };
        var both = Resolve(section, aws);
        Assert.That((both.S3.ServiceUrl, both.S3.AccessKeyId, both.S3.SecretAccessKey, both.S3.Region), Is.EqualTo(("http://app", "APP", "APPS", "eu-west-3")),
            "the app's endpoint and keys stay; AWS_REGION wins as the SDK's own does");
        Assert.That(Resolve(new Dictionary<string, string?> { ["AWS_ENDPOINT_URL"] = "http://generic", ["AWS_ENDPOINT_URL_S3"] = "http://s3-specific" }).S3.ServiceUrl, Is.EqualTo("http://s3-specific"));
    }

    [Test]
    public void Typed_keys_of_every_source_read_with_the_same_parser_as_the_variables()
    {
        var options = Resolve(new Dictionary<string, string?> { ["LightS3:S3:CreateBucket"] = "yes", ["LightS3:MaxBodyBytes"] = "2MiB", ["LightS3:Changes:Settle"] = "1500ms" });
        Assert.That((options.S3.CreateBucket, options.MaxBodyBytes, options.Changes.Settle), Is.EqualTo((true, 2L << 20, TimeSpan.FromMilliseconds(1500))));
        using var provider = Services(new Dictionary<string, string?> { ["LightS3:Jobs:LeaseDuration"] = "45s" });
        Assert.That(provider.GetRequiredService<IOptions<LightS3.Jobs.JobOptions>>().Value.LeaseDuration, Is.EqualTo(TimeSpan.FromSeconds(45)));
    }

    private static IConfiguration Config(string name, string value) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [name] = value }).Build();

    private static ServiceProvider Services(params Dictionary<string, string?>[] sources)
    {
        var config = new ConfigurationBuilder();
        foreach (var source in sources) config.AddInMemoryCollection(source);
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(config.Build());
        services.AddLightS3();
        return services.BuildServiceProvider();
    }

    // LightS3Options as the app binds them, with the S3 gateway's settings (bound by MapS3Api) under S3Api
    private static Bound Resolve(params Dictionary<string, string?>[] sources)
    {
        using var provider = Services(sources);
        var s3Api = new S3ApiOptions();
        provider.GetRequiredService<LightS3Configuration>().Bind(S3ApiOptions.Section, s3Api);
        return new Bound(provider.GetRequiredService<IOptions<LightS3Options>>().Value, s3Api);
    }

    private sealed record Bound(LightS3Options Options, S3ApiOptions S3Api)
    {
        public S3StoreOptions S3 => Options.S3;
        public long MaxBodyBytes => Options.MaxBodyBytes;
        public ChangeFeedOptions Changes => Options.Changes;
    }

    // the option at a LightS3-section path ("S3:Bucket"), as text (lists joined by commas)
    private static string? Read(Bound bound, string path)
    {
        object? current = path.StartsWith("S3Api:", StringComparison.Ordinal) ? bound.S3Api : bound.Options;
        foreach (var part in path.StartsWith("S3Api:", StringComparison.Ordinal) ? path.Split(':')[1..] : path.Split(':'))
            current = current?.GetType().GetProperty(part)?.GetValue(current);
        return current switch
        {
            null => null,
            string s => s,
            System.Collections.IDictionary map => string.Join(",", map.Keys.Cast<object>().Select(k => $"{k}={map[k]}")),
            System.Collections.IEnumerable list => string.Join(",", list.Cast<object>()),
            IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            var other => other.ToString(),
        };
    }
}
