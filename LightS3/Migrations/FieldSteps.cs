using System.Text.Json.Nodes;

namespace LightS3.Migrations;

/// <summary><c>add_field: { name, default }</c>: sets the field to the default where it is absent or null; reverting removes it.</summary>
public sealed class AddFieldStep(string name, JsonNode? defaultValue) : MigrationStep
{
    /// <inheritdoc />
    public override string Description => $"add_field {name} = {defaultValue?.ToJsonString() ?? "null"}";

    /// <inheritdoc />
    public override IReadOnlyCollection<string> FieldsSet => [name];

    /// <inheritdoc />
    public override void Apply(JsonObject record)
    {
        if (record[name] is null) record[name] = defaultValue?.DeepClone();
    }

    /// <inheritdoc />
    public override void Revert(JsonObject record) => record.Remove(name);
}

/// <summary>
/// <c>remove_field: NAME</c> (or <c>{ name, default }</c>): removes the field; its values are gone, so it reverts only
/// when a default is given (the field comes back holding it).
/// </summary>
public sealed class RemoveFieldStep(string name, JsonNode? restoreWith, bool hasRestore) : MigrationStep
{
    /// <inheritdoc />
    public override string Description => $"remove_field {name}";

    /// <inheritdoc />
    public override bool Reversible => hasRestore;

    /// <inheritdoc />
    public override void Apply(JsonObject record) => record.Remove(name);

    /// <inheritdoc />
    public override void Revert(JsonObject record)
    {
        if (!record.ContainsKey(name)) record[name] = restoreWith?.DeepClone();
    }
}

/// <summary><c>rename_field: { from, to }</c>: moves the value (nothing happens to a record without <c>from</c>).</summary>
public sealed class RenameFieldStep(string from, string to) : MigrationStep
{
    /// <inheritdoc />
    public override string Description => $"rename_field {from} → {to}";

    /// <inheritdoc />
    public override IReadOnlyCollection<string> FieldsSet => [to];

    /// <inheritdoc />
    public override void Apply(JsonObject record) => Move(record, from, to);

    /// <inheritdoc />
    public override void Revert(JsonObject record) => Move(record, to, from);

    private static void Move(JsonObject record, string source, string target)
    {
        if (!record.Remove(source, out var value)) return;
        record[target] = value;
    }
}
