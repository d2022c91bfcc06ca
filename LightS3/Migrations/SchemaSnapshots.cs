using LightS3.Model;
using LightS3.Storage;

namespace LightS3.Migrations;

/// <summary>A field as a schema snapshot records it.</summary>
/// <param name="Name">The field name.</param>
/// <param name="Type">Its <see cref="FieldKind"/>.</param>
/// <param name="Required">Whether every stored record has it (required with no default when written).</param>
public sealed record SnapshotField(string Name, string Type, bool Required);

/// <summary>
/// What the stored records of one collection are known to look like (<see cref="MigrationKeys.Snapshot"/>): the model's
/// fields when the snapshot was written, and the last migration applied then. Written when missing by <c>serve</c> and
/// the <c>migrate</c> commands (a baseline), and again after <c>migrate up</c>/<c>finish</c> brings the collection to its
/// latest migration.
/// </summary>
public sealed record SchemaSnapshot
{
    /// <summary>The route.</summary>
    public required string Route { get; init; }

    /// <summary>The last migration applied when it was written (null: none).</summary>
    public string? Migration { get; init; }

    /// <summary>The fields.</summary>
    public List<SnapshotField> Fields { get; init; } = [];

    /// <summary>When it was written.</summary>
    public DateTimeOffset WrittenAt { get; init; }
}

/// <summary>A difference between the model and stored data that no declared migration covers (<c>validate</c> refuses it).</summary>
/// <param name="Route">The endpoint.</param>
/// <param name="Field">The field.</param>
/// <param name="Message">What is wrong and what to do.</param>
public sealed record SchemaProblem(string Route, string Field, string Message);

/// <summary>Writes and checks <see cref="SchemaSnapshot"/>s.</summary>
internal static class SchemaSnapshots
{
    /// <summary>The snapshot of <paramref name="model"/>'s collection, or null.</summary>
    public static async Task<SchemaSnapshot?> ReadAsync(IObjectStore store, EndpointModel model, CancellationToken ct = default) =>
        (await MigrationKeys.ReadAsync<SchemaSnapshot>(store, MigrationKeys.Snapshot(model.Collection), ct)).Value;

    /// <summary>Writes the snapshot of <paramref name="model"/> at <paramref name="migration"/>; with <paramref name="onlyIfMissing"/>, keeps an existing one.</summary>
    public static async Task WriteAsync(IObjectStore store, EndpointModel model, string? migration, TimeProvider time, bool onlyIfMissing, CancellationToken ct = default)
    {
        var snapshot = new SchemaSnapshot
        {
            Route = model.Route,
            Migration = migration,
            Fields = model.Fields.Select(f => new SnapshotField(f.Name, f.Kind.ToString(), f.Required && f.Default is null)).ToList(),
            WrittenAt = time.GetUtcNow(),
        };
        try
        {
            await MigrationKeys.WriteAsync(store, MigrationKeys.Snapshot(model.Collection), snapshot, onlyIfMissing ? WriteCondition.IfNoneMatch : WriteCondition.None, ct);
        }
        catch (PreconditionFailedException) when (onlyIfMissing)
        {
            // a baseline is there already
        }
    }

    /// <summary>
    /// What <paramref name="model"/> needs from stored data that neither the snapshot promises nor a migration declared
    /// after it provides: a field that became required with no default, or a field whose type changed. None without a snapshot.
    /// </summary>
    public static async Task<IReadOnlyList<SchemaProblem>> CheckAsync(IObjectStore store, EndpointModel model, IReadOnlyList<Migration> migrations, CancellationToken ct = default)
    {
        if (await ReadAsync(store, model, ct) is not { } snapshot) return [];
        var after = MigrationCatalog.Position(migrations, snapshot.Migration) ?? -1;
        var covering = migrations.Skip(after + 1).ToList();
        var since = $"records stored under the schema snapshot of {snapshot.WrittenAt:u}{(snapshot.Migration is { } m ? $" (after migration '{m}')" : "")}";
        var problems = new List<SchemaProblem>();
        foreach (var field in model.Fields)
        {
            var old = snapshot.Fields.FirstOrDefault(f => f.Name == field.Name);
            var sets = covering.Any(c => c.FieldsSet.Contains(field.Name));
            if (field.Required && field.Default is null && old is not { Required: true } && !sets)
                problems.Add(new(model.Route, field.Name,
                    $"field '{field.Name}' is required and has no default, but {since} {(old is null ? "do not have it" : "may lack it (it was optional)")}: declare a migration that sets it (add_field with a default, rename_field, transform) or give the field a default"));
            if (old is not null && !Compatible(old.Type, field.Kind) && !sets && !covering.Any(c => c.FieldsConverted.Contains(field.Name)))
                problems.Add(new(model.Route, field.Name,
                    $"field '{field.Name}' changed type from {old.Type} to {field.Kind}, but {since} hold {old.Type} values: declare a change_type migration"));
        }
        return problems;
    }

    /// <summary>Whether values stored as <paramref name="old"/> are valid as <paramref name="now"/> (the same kind, a widening of numbers, or JSON).</summary>
    private static bool Compatible(string old, FieldKind now) => old == now.ToString() || now == FieldKind.Json || (old, now) switch
    {
        ("Int", FieldKind.Long or FieldKind.Double or FieldKind.Decimal) => true,
        ("Long", FieldKind.Double or FieldKind.Decimal) => true,
        _ => false,
    };
}
