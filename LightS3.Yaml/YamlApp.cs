using LightS3.Documents;
using LightS3.Hosting;
using LightS3.Model;
using LightS3.Storage;
using LightS3.Yaml.Config;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Yaml;

/// <summary>
/// The declarative boot path: <c>LightS3App.FromConfig("lightapi.yaml")</c> builds the same app a C# program
/// would, from YAML alone. Bring the extension in with <c>using LightS3.Yaml;</c>.
/// </summary>
public static class YamlApp
{
    /// <summary>How many existing objects <c>reflect</c> samples to infer fields.</summary>
    public const int ReflectionSample = 100;

    extension(LightS3App)
    {
        /// <summary>Builds an app from a YAML file (see docs/yaml.md).</summary>
        public static LightS3App FromConfig(string path, string[]? args = null, Action<WebApplicationBuilder>? configure = null) =>
            Build(YamlConfigReader.ReadFile(path), args, configure);

        /// <summary>Builds an app from YAML text.</summary>
        public static LightS3App FromYaml(string yaml, string[]? args = null, Action<WebApplicationBuilder>? configure = null) =>
            Build(YamlConfigReader.Read(yaml), args, configure);

        /// <summary>Builds an app from a configuration given as nested dictionaries and lists (the YAML document's shape).</summary>
        public static LightS3App FromConfig(IDictionary<string, object?> config, string[]? args = null, Action<WebApplicationBuilder>? configure = null) =>
            Build(YamlConfigReader.Read(new YamlDotNet.Serialization.SerializerBuilder().Build().Serialize(config), "(dictionary)"), args, configure);
    }

    /// <summary>Builds and registers everything <paramref name="config"/> declares.</summary>
    public static LightS3App Build(YamlConfig config, string[]? args = null, Action<WebApplicationBuilder>? configure = null)
    {
        var app = LightS3App.Create(args, builder =>
        {
            builder.Services.PostConfigure<LightS3Options>(o =>
            {
                config.Storage.ApplyTo(o);
                if (config.CorsOrigins.Count > 0) o.CorsOrigins = [.. config.CorsOrigins];
                config.ApplyOpenApiTo(o);
            });
            if (config.Webhooks.Count > 0)
                builder.Services.PostConfigure<LightS3.Webhooks.WebhookOptions>(o => o.Targets.AddRange(config.Webhooks));
            configure?.Invoke(builder);
        });
        var store = app.Services.GetRequiredService<IObjectStore>();
        foreach (var endpoint in config.Endpoints) app.RegisterModel(Resolve(endpoint, store));
        var migrations = app.Services.GetRequiredService<LightS3.Migrations.MigrationCatalog>();
        foreach (var migration in config.Migrations) migrations.Add(migration);
        foreach (var slot in config.MigrationFunctions) slot.Catalog = migrations;
        return app;
    }

    /// <summary>The endpoint's final model: declared fields, plus fields inferred from existing objects when it reflects.</summary>
    public static EndpointModel Resolve(YamlEndpoint endpoint, IObjectStore store)
    {
        if (endpoint.Reflect == ReflectMode.None) return endpoint.Model;
        var model = endpoint.Model;
        var layout = new CollectionLayout(model.Collection, model.RecordsPath);
        List<Storage.StoredObject> samples;
        try
        {
            var listing = store.ListAsync(layout.RecordsPrefix, null, 1000).GetAwaiter().GetResult();
            var keys = listing.Entries.Where(e => layout.IdOf(e.Key) is not null).Take(ReflectionSample).Select(e => e.Key).ToList();
            samples = keys.Select(k => store.GetAsync(k).GetAwaiter().GetResult()).Where(o => o is not null).Select(o => o!).ToList();
        }
        catch (StorageUnavailableException e)
        {
            throw new ConfigurationException($"{model.Source}: reflect: storage is unavailable ({e.Message})");
        }
        var objects = samples.Select(s => TryDecode(s)).Where(o => o is not null).Select(o => o!).ToList();
        if (objects.Count == 0)
            throw new ConfigurationException($"{model.Source}: reflect: no JSON objects named {{id}}.json under '{layout.RecordsPrefix}' to infer fields from");
        var inferred = SchemaInference.Infer(objects);
        var fields = endpoint.Reflect == ReflectMode.Full
            ? inferred
            : model.Fields.Concat(inferred.Where(i => model.Field(i.Name) is null)).ToList();
        return model.With(fields: fields);
    }

    private static System.Text.Json.Nodes.JsonObject? TryDecode(Storage.StoredObject o)
    {
        try
        {
            return RecordCodec.Decode(o.Key, o.Content);
        }
        catch (CorruptRecordException)
        {
            return null;
        }
    }
}
