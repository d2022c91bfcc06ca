namespace LightS3.Documents;

/// <summary>One version of a record in its history.</summary>
/// <param name="Version">The record version.</param>
/// <param name="UpdatedAt">When it was written (its <c>updated_at</c>).</param>
/// <param name="Actor">Who wrote it (its <c>updated_by</c>: the caller's <c>sub</c>), or null.</param>
/// <param name="Operation"><c>create</c>, <c>update</c>, <c>delete</c> (a soft delete) or <c>restore</c>.</param>
public sealed record HistoryEntry(long Version, string? UpdatedAt, string? Actor, string Operation);

/// <summary>One page of a record's history, newest first.</summary>
/// <param name="Entries">The versions of the page.</param>
/// <param name="NextBefore">The <c>before</c> of the next (older) page, or null when this is the last.</param>
public sealed record HistoryPage(IReadOnlyList<HistoryEntry> Entries, long? NextBefore);
