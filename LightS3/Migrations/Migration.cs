using System.Text.Json.Nodes;

namespace LightS3.Migrations;

/// <summary>
/// One versioned change to the stored records of one endpoint (docs/migrations.md). Subclass it in the app's assembly
/// (found there by <see cref="MigrationCatalog.AddFromAssembly"/>) or declare it in YAML under <c>migrations:</c>.
/// <code>
/// public sealed class RenameTitle : Migration
/// {
///     public override string Id => "20261126170000_rename_title";
///     public override string Route => "/books";
///     public override void Up(JsonObject record) => Rename(record, "title", "name");
///     public override void Down(JsonObject record) => Rename(record, "name", "title");
/// }
/// </code>
/// Migrations run in ordinal order of their ids (<c>migrate create</c> prefixes a UTC timestamp).
/// <see cref="Up"/> and <see cref="Down"/> work on the stored JSON document, automatic fields included; they must
/// not change <c>id</c>, <c>version</c> or <c>created_at</c>.
/// </summary>
public abstract class Migration
{
    /// <summary>The migration's id, unique in the app; its order among the others.</summary>
    public abstract string Id { get; }

    /// <summary>The route of the endpoint whose records it changes, e.g. <c>/books</c>.</summary>
    public abstract string Route { get; }

    /// <summary>A line for <c>migrate status</c>.</summary>
    public virtual string Description => GetType().Name;

    /// <summary>Whether <see cref="Down"/> is implemented (<c>migrate down</c> refuses otherwise).</summary>
    public virtual bool Reversible => true;

    /// <summary>
    /// The fields <see cref="Up"/> always sets, so <c>validate</c> accepts making them required (docs/migrations.md).
    /// </summary>
    public virtual IReadOnlyCollection<string> FieldsSet => [];

    /// <summary>The fields whose type <see cref="Up"/> converts, so <c>validate</c> accepts their new type.</summary>
    public virtual IReadOnlyCollection<string> FieldsConverted => [];

    /// <summary>Changes one stored record to the new shape, in place.</summary>
    public abstract void Up(JsonObject record);

    /// <summary>Changes one stored record back, in place.</summary>
    public virtual void Down(JsonObject record) => throw new IrreversibleMigrationException(Id);

    /// <summary>Moves <paramref name="from"/> to <paramref name="to"/> when present (a no-op otherwise).</summary>
    protected static void Rename(JsonObject record, string from, string to)
    {
        if (!record.Remove(from, out var value)) return;
        record[to] = value;
    }
}

/// <summary>A migration without a <see cref="Migration.Down"/> was asked to revert.</summary>
public sealed class IrreversibleMigrationException(string id)
    : LightS3Exception($"migration '{id}' cannot be reverted: it has no Down (a removed field's values are gone)")
{
    /// <summary>The migration.</summary>
    public string Id { get; } = id;
}
