using System.Text.Json.Nodes;

namespace LightS3.Migrations;

/// <summary>One change inside a <see cref="StepMigration"/>: what YAML's <c>add_field</c>, <c>rename_field</c>, … read into.</summary>
public abstract class MigrationStep
{
    /// <summary>A line for <c>migrate status</c>, e.g. <c>rename_field title → name</c>.</summary>
    public abstract string Description { get; }

    /// <summary>Whether <see cref="Revert"/> can undo <see cref="Apply"/>.</summary>
    public virtual bool Reversible => true;

    /// <summary>Fields this step always sets.</summary>
    public virtual IReadOnlyCollection<string> FieldsSet => [];

    /// <summary>Fields whose type this step converts.</summary>
    public virtual IReadOnlyCollection<string> FieldsConverted => [];

    /// <summary>Changes a record to the new shape.</summary>
    public abstract void Apply(JsonObject record);

    /// <summary>Changes a record back.</summary>
    public abstract void Revert(JsonObject record);
}

/// <summary>A migration made of declared steps (YAML <c>migrations:</c>, or built in C#), applied in order and reverted in reverse.</summary>
/// <param name="id">The migration id.</param>
/// <param name="route">The endpoint's route.</param>
/// <param name="steps">The steps, in order.</param>
/// <param name="description">A line for <c>migrate status</c> (default: the steps).</param>
public sealed class StepMigration(string id, string route, IReadOnlyList<MigrationStep> steps, string? description = null) : Migration
{
    /// <inheritdoc />
    public override string Id { get; } = id;

    /// <inheritdoc />
    public override string Route { get; } = route;

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<MigrationStep> Steps { get; } = steps;

    /// <inheritdoc />
    public override string Description => description ?? string.Join("; ", Steps.Select(s => s.Description));

    /// <inheritdoc />
    public override bool Reversible => Steps.All(s => s.Reversible);

    /// <inheritdoc />
    public override IReadOnlyCollection<string> FieldsSet => Steps.SelectMany(s => s.FieldsSet).ToHashSet(StringComparer.Ordinal);

    /// <inheritdoc />
    public override IReadOnlyCollection<string> FieldsConverted => Steps.SelectMany(s => s.FieldsConverted).ToHashSet(StringComparer.Ordinal);

    /// <inheritdoc />
    public override void Up(JsonObject record)
    {
        foreach (var step in Steps) step.Apply(record);
    }

    /// <inheritdoc />
    public override void Down(JsonObject record)
    {
        if (!Reversible) throw new IrreversibleMigrationException(Id);
        for (var i = Steps.Count - 1; i >= 0; i--) Steps[i].Revert(record);
    }
}
