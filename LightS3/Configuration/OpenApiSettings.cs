namespace LightS3;

/// <summary>
/// The OpenAPI document and the interactive docs (<c>LightS3:OpenApi</c>; <c>LIGHTS3_OPENAPI</c>; YAML <c>openapi:</c>).
/// See docs/openapi.md.
/// </summary>
public sealed class OpenApiSettings
{
    /// <summary>The name of LightS3's document among the host's OpenAPI documents.</summary>
    public const string DocumentName = "lights3";

    /// <summary>Whether the document and the docs UI are served (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where the OpenAPI 3.1 JSON document is served.</summary>
    public string Path { get; set; } = "/openapi/v1.json";

    /// <summary>Where the interactive docs (Scalar) are served; null or empty turns them off while keeping the document.</summary>
    public string? DocsPath { get; set; } = "/docs";

    /// <summary>The document's <c>info.title</c>.</summary>
    public string Title { get; set; } = "LightS3 API";

    /// <summary>The document's <c>info.version</c>.</summary>
    public string Version { get; set; } = "1.0.0";

    /// <summary>
    /// Descriptions by route (<c>/books</c>), shown as the description of the endpoint's tag. YAML fills this from an
    /// endpoint's <c>description:</c>; for classes, the class's XML doc summary is used when none is given here.
    /// </summary>
    public Dictionary<string, string> Descriptions { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Applies <c>LIGHTS3_OPENAPI</c> as the configuration provider reads it: a boolean turns the document on or off, a path moves it.</summary>
    internal void ApplyVariable(string value)
    {
        foreach (var setting in EnvironmentVariables.OpenApi(value))
            if (setting.Key == "OpenApi:Path") Path = setting.Value!;
            else Enabled = bool.Parse(setting.Value!);
    }
}
