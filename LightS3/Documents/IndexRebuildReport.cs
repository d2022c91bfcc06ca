namespace LightS3;

/// <summary>Progress of an index rebuild.</summary>
/// <param name="Phase">"records" while (re)writing entries, "entries" while collecting stale ones.</param>
/// <param name="Processed">Items done in this phase.</param>
/// <param name="Total">Items in this phase, when known.</param>
public sealed record IndexRebuildProgress(string Phase, long Processed, long? Total);

/// <summary>What a rebuild did.</summary>
public sealed record IndexRebuildReport(long Records, long EntriesWritten, long EntriesRemoved);
