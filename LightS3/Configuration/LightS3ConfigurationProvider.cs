using LightS3.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace LightS3;

/// <summary>
/// The one place LightS3's settings are read: a configuration provider over the host's configuration that maps each
/// documented <c>LIGHTS3_*</c> variable (and the <c>AWS_*</c> ones, <see cref="EnvironmentVariables"/>) onto its
/// <c>LightS3:*</c> key, and reads the typed <c>LightS3:*</c> keys of every source with the same parser
/// (<see cref="SettingTypes"/>). Placed after the host's sources, a variable wins over the same key in appsettings.json,
/// <c>LightS3__*</c> variables or the command line. A value that does not parse is left out and listed in
/// <see cref="Errors"/> (naming the variable or key and the value), which fails start-up through options validation.
/// </summary>
internal sealed class LightS3ConfigurationProvider : ConfigurationProvider, IDisposable
{
    private readonly IConfiguration _host;
    private readonly IReadOnlyDictionary<string, SettingTypes.Kind> _typed;
    private readonly IDisposable _reload;

    public LightS3ConfigurationProvider(IConfiguration host, IReadOnlyDictionary<string, SettingTypes.Kind> typed)
    {
        _host = host;
        _typed = typed;
        _reload = ChangeToken.OnChange(host.GetReloadToken, () =>
        {
            Load();
            OnReload();
        });
    }

    /// <summary>The values that could not be read, one line each.</summary>
    public IReadOnlyList<string> Errors { get; private set; } = [];

    public override void Load()
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var errors = new List<string>();
        var prefix = LightS3Options.Section + ":";
        foreach (var (key, value) in _host.GetSection(LightS3Options.Section).AsEnumerable(makePathsRelative: true))
        {
            if (value is null || !_typed.TryGetValue(key, out var kind)) continue;
            try
            {
                data[prefix + key] = SettingTypes.Normalize(kind, prefix + key, value);
            }
            catch (ConfigurationException e)
            {
                data[prefix + key] = null; // hides the raw value from the binder: the error below says what is wrong
                errors.Add(e.Message);
            }
        }
        foreach (var variable in EnvironmentVariables.All.Concat(EnvironmentVariables.Aws))
        {
            if (_host[variable.Name] is not { Length: > 0 } value) continue;
            try
            {
                foreach (var setting in variable.Map(value, _host)) data[prefix + setting.Key] = setting.Value;
            }
            catch (ConfigurationException e)
            {
                errors.Add(e.Message);
            }
        }
        Data = data;
        Errors = errors;
    }

    // the host's own keys are set on the host's providers, never here
    public override void Set(string key, string? value)
    {
    }

    public void Dispose() => _reload.Dispose();
}

/// <summary>Adds an existing <see cref="LightS3ConfigurationProvider"/> to a configuration builder.</summary>
internal sealed class LightS3ConfigurationSource(LightS3ConfigurationProvider provider) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => provider;
}
