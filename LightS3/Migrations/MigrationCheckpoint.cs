using LightS3.Storage;

namespace LightS3.Migrations;

/// <summary>
/// Where an eager pass stands (<see cref="MigrationKeys.Checkpoint"/>): the last record key of the last batch done,
/// written after each batch, so a runner that resumes after a crash lists from there instead of from the start. It is
/// an optimisation only: exactly-once comes from each record's <c>_schema</c> stamp, written in the same
/// compare-and-swap as its migrated fields.
/// </summary>
internal sealed record MigrationCheckpoint
{
    /// <summary>The route of the pass.</summary>
    public required string Route { get; init; }

    /// <summary>The migration the pass moves records to (null: before the first).</summary>
    public string? Target { get; init; }

    /// <summary><c>up</c> or <c>down</c>.</summary>
    public required string Direction { get; init; }

    /// <summary>The last record key whose batch is done.</summary>
    public string? After { get; init; }

    /// <summary>Records seen so far.</summary>
    public long Processed { get; init; }

    /// <summary>Records rewritten so far.</summary>
    public long Migrated { get; init; }

    /// <summary>When it was written.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Whether this checkpoint belongs to the same pass.</summary>
    public bool SamePass(MigrationCheckpoint other) => Route == other.Route && Target == other.Target && Direction == other.Direction;

    /// <summary>The stored checkpoint, or null.</summary>
    public static async Task<MigrationCheckpoint?> ReadAsync(IObjectStore store, CancellationToken ct) =>
        (await MigrationKeys.ReadAsync<MigrationCheckpoint>(store, MigrationKeys.Checkpoint, ct)).Value;

    /// <summary>Saves this checkpoint (the lease holder is the only writer).</summary>
    public Task SaveAsync(IObjectStore store, CancellationToken ct) =>
        MigrationKeys.WriteAsync(store, MigrationKeys.Checkpoint, this, WriteCondition.None, ct);

    /// <summary>Marks that no pass is in progress.</summary>
    public static Task ClearAsync(IObjectStore store, CancellationToken ct) =>
        MigrationKeys.WriteAsync(store, MigrationKeys.Checkpoint, new { done = true }, WriteCondition.None, ct);
}
