using LightS3.Hosting;
using LightS3.Model;

namespace LightS3.Yaml.Config;

/// <summary>A validated YAML configuration: storage, CORS, middleware and endpoint models.</summary>
public sealed record YamlConfig(StorageSettings Storage, IReadOnlyList<string> CorsOrigins, IReadOnlyList<string> Middleware, IReadOnlyList<YamlEndpoint> Endpoints)
{
    /// <summary>The <c>openapi:</c> section; null keeps the defaults.</summary>
    public OpenApiYamlSettings? OpenApi { get; init; }

    /// <summary>The <c>admin:</c> switch (the admin UI at <c>/admin</c>); null keeps the default (off, or <c>LIGHTS3_ADMIN</c>).</summary>
    public bool? Admin { get; init; }

    /// <summary>The <c>webhooks:</c> targets (docs/webhooks.md); empty when none.</summary>
    public IReadOnlyList<LightS3.Webhooks.WebhookTarget> Webhooks { get; init; } = [];

    /// <summary>The <c>migrations:</c> list (docs/migrations.md).</summary>
    public IReadOnlyList<LightS3.Migrations.StepMigration> Migrations { get; init; } = [];

    /// <summary>The named C# functions the migrations call, bound to the app's catalog when it is built.</summary>
    public IReadOnlyList<LightS3.Migrations.MigrationFunctionSlot> MigrationFunctions { get; init; } = [];

    /// <summary>Applies <c>openapi:</c> and the endpoints' <c>description:</c>s over <paramref name="o"/>.</summary>
    public void ApplyOpenApiTo(LightS3Options o)
    {
        OpenApi?.ApplyTo(o.OpenApi);
        if (Admin is { } admin) o.Admin = admin;
        foreach (var endpoint in Endpoints)
            if (endpoint.Description is { } description) o.OpenApi.Descriptions[endpoint.Model.Route] = description;
    }
}

/// <summary>One endpoint: its model (declared fields), whether fields are reflected from existing objects, and its YAML path.</summary>
public sealed record YamlEndpoint(EndpointModel Model, ReflectMode Reflect, string Path)
{
    /// <summary>The endpoint's <c>description:</c> (the description of its tag in the OpenAPI document).</summary>
    public string? Description { get; init; }
}

/// <summary>
/// The <c>openapi:</c> section: <c>openapi: false</c> turns the document and docs off; <c>openapi: { path, docs, title, version }</c>
/// adjusts them (docs: a path, or false).
/// </summary>
public sealed record OpenApiYamlSettings(bool? Enabled = null, string? Path = null, string? DocsPath = null, bool DocsOff = false, string? Title = null, string? Version = null)
{
    /// <summary>Applies these settings over <paramref name="settings"/>.</summary>
    public void ApplyTo(OpenApiSettings settings)
    {
        if (Enabled is { } enabled) settings.Enabled = enabled;
        if (Path is not null) settings.Path = Path;
        if (DocsOff) settings.DocsPath = null;
        else if (DocsPath is not null) settings.DocsPath = DocsPath;
        if (Title is not null) settings.Title = Title;
        if (Version is not null) settings.Version = Version;
    }
}

/// <summary>LightAPI's <c>reflect</c>: none, all fields inferred (<c>true</c>), or declared plus inferred (<c>partial</c>).</summary>
public enum ReflectMode
{
    /// <summary>Declared fields only.</summary>
    None,
    /// <summary>Fields inferred from existing objects.</summary>
    Full,
    /// <summary>Declared fields plus inferred ones.</summary>
    Partial,
}

/// <summary>The <c>storage:</c> section.</summary>
public sealed record StorageSettings(StorageKind Kind, string? Bucket = null, string? Prefix = null, string? DataDir = null,
    string? EndpointUrl = null, string? Region = null, bool? CreateBucket = null, double? TimeoutSeconds = null, bool? DeleteIfMatchEnforced = null)
{
    /// <summary>Applies these settings over <paramref name="o"/>.</summary>
    public void ApplyTo(LightS3Options o)
    {
        // `file:` means "the embedded store"; LIGHTS3_STORAGE=sqlite|files may still pick its engine
        if (!(Kind == StorageKind.File && o.Storage is StorageKind.Sqlite or StorageKind.Files)) o.Storage = Kind;
        if (DataDir is not null) o.DataDir = DataDir;
        if (Bucket is not null) o.S3.Bucket = Bucket;
        if (Prefix is not null) o.S3.Prefix = Prefix;
        if (EndpointUrl is not null) o.S3.ServiceUrl = EndpointUrl;
        if (Region is not null) o.S3.Region = Region;
        if (CreateBucket is { } c) o.S3.CreateBucket = c;
        if (TimeoutSeconds is { } t) o.S3.OperationTimeout = TimeSpan.FromSeconds(t);
        if (DeleteIfMatchEnforced is { } d) o.S3.DeleteIfMatchEnforced = d;
    }
}
