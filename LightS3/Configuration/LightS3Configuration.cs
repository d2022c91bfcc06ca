using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LightS3;

/// <summary>
/// The host's configuration with <see cref="LightS3ConfigurationProvider"/> on top: what every LightS3 options class binds
/// from (one singleton per app, registered by <c>AddLightS3</c>), so a setting reads the same whichever class uses it.
/// </summary>
internal sealed class LightS3Configuration : IDisposable
{
    private readonly LightS3ConfigurationProvider _provider;
    private readonly ConfigurationRoot _root;

    /// <summary>The mapping over <paramref name="host"/>, reading the typed keys of <paramref name="roots"/> (default: <see cref="LightS3Options"/>).</summary>
    public LightS3Configuration(IConfiguration host, IEnumerable<SettingTypes.Root>? roots = null)
    {
        _provider = new LightS3ConfigurationProvider(host, SettingTypes.Of(roots ?? [new(LightS3Options.Section, typeof(LightS3Options))]));
        _root = (ConfigurationRoot)new ConfigurationBuilder()
            .AddConfiguration(host, shouldDisposeConfiguration: false)
            .Add(new LightS3ConfigurationSource(_provider))
            .Build();
    }

    /// <summary>The composed configuration (the host's keys, the mapped variables winning).</summary>
    public IConfiguration Root => _root;

    /// <summary>Values that could not be read (each names its variable or key and the value).</summary>
    public IReadOnlyList<string> Errors => _provider.Errors;

    /// <summary>Binds the section at <paramref name="path"/> (e.g. <c>LightS3:Webhooks</c>) onto <paramref name="options"/>.</summary>
    public void Bind(string path, object options) => _root.GetSection(path).Bind(options);

    public void Dispose() => _root.Dispose();

    /// <summary>The app's instance: the host's <see cref="IConfiguration"/> (empty when the container has none) plus the mapping.</summary>
    public static LightS3Configuration Of(IServiceProvider services) =>
        new(services.GetService<IConfiguration>() ?? new ConfigurationBuilder().Build(), services.GetServices<SettingTypes.Root>());

    /// <summary>Binds <typeparamref name="TOptions"/> from <paramref name="path"/> of the app's <see cref="LightS3Configuration"/>.</summary>
    public static OptionsBuilder<TOptions> Bind<TOptions>(IServiceCollection services, string path) where TOptions : class
    {
        Describe<TOptions>(services, path);
        return services.AddOptions<TOptions>().Configure<LightS3Configuration>((o, c) => c.Bind(path, o));
    }

    /// <summary>Makes the typed keys of <typeparamref name="TOptions"/> at <paramref name="path"/> read with the one parser (for classes bound by hand).</summary>
    public static void Describe<TOptions>(IServiceCollection services, string path)
    {
        Register(services);
        var root = new SettingTypes.Root(path, typeof(TOptions));
        if (!services.Any(d => d.ServiceType == typeof(SettingTypes.Root) && Equals(d.ImplementationInstance, root))) services.AddSingleton(root);
    }

    /// <summary>Registers the singleton and the validation that fails start-up on <see cref="Errors"/>.</summary>
    public static void Register(IServiceCollection services)
    {
        services.TryAddSingleton(Of);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LightS3Options>, Validation>());
    }

    // unreadable values surface as an OptionsValidationException of LightS3Options (ValidateOnStart: at start)
    private sealed class Validation(LightS3Configuration configuration) : IValidateOptions<LightS3Options>
    {
        public ValidateOptionsResult Validate(string? name, LightS3Options options) =>
            configuration.Errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(configuration.Errors);
    }
}
