using System.Text.Json.Nodes;

namespace LightS3.Documents;

/// <summary>
/// One acknowledged write in a collection's change feed (docs/realtime.md).
/// </summary>
/// <param name="Cursor">Where the feed is after this entry: pass it as <c>since</c> to read what follows.</param>
/// <param name="Collection">The collection.</param>
/// <param name="Operation">What happened.</param>
/// <param name="Id">The record id.</param>
/// <param name="Version">The version written (for a tombstone delete or a purge: the last version, now gone).</param>
/// <param name="At">When: the new version's <c>updated_at</c>, or the time of the delete.</param>
/// <param name="Actor">The writer's <c>sub</c>, or null.</param>
/// <param name="Record">
/// The stored record of that version, unshaped (every field, no permission applied); for a tombstone delete or a purge,
/// the version that was removed. Callers that show it to someone must apply that caller's read permission and serializer.
/// </param>
public sealed record ChangeEntry(string Cursor, string Collection, RecordOperation Operation, string Id, long Version, DateTimeOffset At, string? Actor, JsonObject? Record)
{
    /// <summary>The operation's name in the feed: <c>create</c>, <c>update</c>, <c>delete</c>, <c>restore</c> or <c>purge</c>.</summary>
    public string OperationName => ChangeCodec.NameOf(Operation);

    /// <summary>Whether the record is gone after this write (a delete without soft delete, or a purge): no body is shown.</summary>
    public bool Removes { get; init; }
}

/// <summary>One page of a change feed.</summary>
/// <param name="Changes">Verified entries, in feed order.</param>
/// <param name="Next">The cursor to read on from (the last entry's, or further when phantoms were skipped); the given one when nothing settled yet.</param>
public sealed record ChangePage(IReadOnlyList<ChangeEntry> Changes, string? Next);
