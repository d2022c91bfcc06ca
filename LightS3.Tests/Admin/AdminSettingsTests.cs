using LightS3.Hosting;
using LightS3.Model;
using LightS3.Yaml.Config;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LightS3.Tests.Admin;

/// <summary>How the admin UI is switched on: off by default, <c>LIGHTS3_ADMIN</c>, YAML <c>admin:</c>.</summary>
public sealed class AdminSettingsTests
{
    private static LightS3Options Resolve(string? environment)
    {
        var services = new ServiceCollection();
        var values = new Dictionary<string, string?>();
        if (environment is not null) values["LIGHTS3_ADMIN"] = environment;
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddLightS3();
        return services.BuildServiceProvider().GetRequiredService<IOptions<LightS3Options>>().Value;
    }

    [TestCase(null, false)]
    [TestCase("true", true)]
    [TestCase("1", true)]
    [TestCase("false", false)]
    public void LIGHTS3_ADMIN_switches_the_admin_UI(string? value, bool expected) =>
        Assert.That(Resolve(value).Admin, Is.EqualTo(expected));

    [Test]
    public void LIGHTS3_ADMIN_rejects_what_is_not_a_boolean()
    {
        var e = Assert.Throws<OptionsValidationException>(() => Resolve("maybe"));
        Assert.That(e!.Message, Does.Contain("LIGHTS3_ADMIN"));
    }

    [TestCase("admin: true", true)]
    [TestCase("admin: false", false)]
    [TestCase("", false)]
    public void YAML_admin_takes_a_boolean(string line, bool expected)
    {
        var config = YamlConfigReader.Read(line + "\nendpoints:\n  - route: /a\n    fields: { n: { type: str } }\n", "api.yaml", _ => null);
        var options = new LightS3Options();
        config.ApplyOpenApiTo(options);
        Assert.That(options.Admin, Is.EqualTo(expected));
    }
}
