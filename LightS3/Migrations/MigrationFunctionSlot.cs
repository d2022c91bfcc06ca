using System.Text.Json.Nodes;

namespace LightS3.Migrations;

/// <summary>
/// A named C# transform function referenced from YAML (<c>transform: { function: NAME }</c>), resolved in the app's
/// <see cref="MigrationCatalog"/> once the app exists (the YAML is read before it).
/// </summary>
/// <param name="name">The function's name.</param>
public sealed class MigrationFunctionSlot(string name)
{
    /// <summary>The name.</summary>
    public string Name { get; } = name;

    /// <summary>The catalog to resolve in; set when the app is built.</summary>
    public MigrationCatalog? Catalog { get; set; }

    /// <summary>The function (a configuration error when it is not registered).</summary>
    public Action<JsonObject> Resolve() =>
        (Catalog ?? throw new InvalidOperationException($"transform function '{Name}': the migrations are not attached to an app")).Function(Name);
}
