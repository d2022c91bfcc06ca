using LightS3.Storage;

namespace LightS3.Migrations;

/// <summary>One applied migration in the log.</summary>
public sealed record AppliedMigration
{
    /// <summary>The migration id.</summary>
    public required string Id { get; init; }

    /// <summary>Its route.</summary>
    public required string Route { get; init; }

    /// <summary><c>eager</c> (records rewritten) or <c>lazy</c> (upgraded on read and next write).</summary>
    public required string Mode { get; init; }

    /// <summary>False while a lazy migration awaits <c>migrate finish</c>.</summary>
    public bool Finished { get; init; }

    /// <summary>When it was applied.</summary>
    public DateTimeOffset AppliedAt { get; init; }

    /// <summary>When its records were all rewritten (eager, or lazy after <c>finish</c>).</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Records rewritten by the pass that finished it.</summary>
    public long Records { get; init; }
}

/// <summary>
/// The applied-migrations log, one JSON object in the store (<see cref="MigrationKeys.Log"/>). Only the lease holder
/// writes it, and every write is a compare-and-swap on the ETag read, so even a runner that lost its lease cannot
/// overwrite a newer log.
/// </summary>
internal sealed class MigrationLog(IObjectStore store)
{
    private string? _etag;

    /// <summary>The entries, in the order applied.</summary>
    public List<AppliedMigration> Applied { get; private set; } = [];

    /// <summary>Reads the log (empty when none was ever written).</summary>
    public static async Task<MigrationLog> ReadAsync(IObjectStore store, CancellationToken ct = default)
    {
        var log = new MigrationLog(store);
        var (doc, etag) = await MigrationKeys.ReadAsync<Document>(store, MigrationKeys.Log, ct);
        log.Applied = doc?.Applied ?? [];
        log._etag = etag;
        return log;
    }

    /// <summary>The entry of <paramref name="id"/>, or null when it is not applied.</summary>
    public AppliedMigration? Find(string id) => Applied.FirstOrDefault(a => a.Id == id);

    /// <summary>Replaces (or adds) the entry of <paramref name="entry"/>'s id and saves.</summary>
    public Task SaveAsync(AppliedMigration entry, CancellationToken ct)
    {
        var i = Applied.FindIndex(a => a.Id == entry.Id);
        if (i >= 0) Applied[i] = entry;
        else Applied.Add(entry);
        return SaveAsync(ct);
    }

    /// <summary>Removes the entry of <paramref name="id"/> and saves.</summary>
    public Task RemoveAsync(string id, CancellationToken ct)
    {
        Applied.RemoveAll(a => a.Id == id);
        return SaveAsync(ct);
    }

    private async Task SaveAsync(CancellationToken ct)
    {
        try
        {
            _etag = await MigrationKeys.WriteAsync(store, MigrationKeys.Log, new Document { Applied = Applied }, MigrationKeys.Over(_etag), ct);
        }
        catch (PreconditionFailedException)
        {
            throw new MigrationLeaseLostException("the migration log changed under this runner (another runner took over its expired lease)");
        }
    }

    private sealed record Document
    {
        public List<AppliedMigration> Applied { get; init; } = [];
    }
}
