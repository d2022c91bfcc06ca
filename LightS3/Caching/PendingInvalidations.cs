using Microsoft.Extensions.Logging;
using LightS3.Diagnostics;

namespace LightS3.Caching;

/// <summary>
/// Invalidations a write could not send to Redis, kept until one delivery round increments their generations.
/// Each is journaled (<see cref="InvalidationJournal"/>) before the write is acknowledged; one whose journal
/// write failed is kept in memory only (and a warning says so). While any is undelivered, <see cref="Any"/> is
/// true and the instance must not read the cache (its own write could be hidden by an entry of the old generation).
/// </summary>
/// <remarks>
/// Correctness of removal: an entry is recorded only after its write is stored, and a delivery increments the
/// generations only after it has taken the entries, so the increment covers every write whose entry it removes.
/// Entries recorded after a take stay for the next round. Deliveries are serialized by the caller (one loop).
/// </remarks>
internal sealed class PendingInvalidations(InvalidationJournal? journal, ILogger logger)
{
    private readonly Lock _lock = new();
    // scope -> the journal append of an entry no delivery has taken yet (a later write of the scope rides on it)
    private readonly Dictionary<string, Task<Guid>> _journaled = new(StringComparer.Ordinal);
    // scope -> sequence number, for invalidations the journal could not take
    private readonly Dictionary<string, long> _memoryOnly = new(StringComparer.Ordinal);
    private long _sequence;
    // taken but not yet confirmed, or found in the journal at start
    private bool _undelivered = journal?.Exists == true;
    private bool _journalFailureLogged;

    /// <summary>The journal, if any.</summary>
    public InvalidationJournal? Journal => journal;

    /// <summary>Whether an invalidation of this instance (or one found in the journal at start) is not yet delivered.</summary>
    public bool Any
    {
        get
        {
            lock (_lock) return _undelivered || _journaled.Count > 0 || _memoryOnly.Count > 0;
        }
    }

    /// <summary>Records that <paramref name="scope"/> must be invalidated; returns once that record is durable (or in memory when the journal fails).</summary>
    public async Task AddAsync(string scope)
    {
        Task<Guid>? append;
        lock (_lock)
        {
            if (journal is null)
            {
                _memoryOnly[scope] = ++_sequence;
                return;
            }
            if (!_journaled.TryGetValue(scope, out append))
                _journaled[scope] = append = Task.Run(() => journal.AppendAsync(scope));
        }
        try
        {
            await append;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            lock (_lock)
            {
                _memoryOnly[scope] = ++_sequence;
                if (_journaled.TryGetValue(scope, out var current) && current == append) _journaled.Remove(scope);
                if (_journalFailureLogged) return;
                _journalFailureLogged = true;
            }
            logger.JournalNotWritable(e, journal.Path);
        }
    }

    /// <summary>Takes everything pending now: the journal's entries (every instance's) and the in-memory ones.</summary>
    public async Task<PendingBatch> TakeAsync()
    {
        Dictionary<string, long> memory;
        lock (_lock)
        {
            if (_journaled.Count > 0 || _memoryOnly.Count > 0) _undelivered = true;
            _journaled.Clear();
            memory = new Dictionary<string, long>(_memoryOnly, StringComparer.Ordinal);
        }
        var entries = journal is null ? [] : await journal.ReadAsync();
        return new PendingBatch(entries, memory);
    }

    /// <summary>Forgets what <paramref name="batch"/> took, after its generations were incremented.</summary>
    public async Task ConfirmAsync(PendingBatch batch)
    {
        if (journal is not null && batch.Entries.Count > 0) await journal.RemoveAsync(batch.Entries.Select(e => e.Id).ToHashSet());
        lock (_lock)
        {
            foreach (var (scope, sequence) in batch.Memory)
                if (_memoryOnly.TryGetValue(scope, out var current) && current == sequence) _memoryOnly.Remove(scope);
            _undelivered = false;
        }
    }
}

/// <summary>What one delivery round takes: journal entries and in-memory scopes.</summary>
internal sealed record PendingBatch(List<JournalEntry> Entries, Dictionary<string, long> Memory)
{
    /// <summary>The distinct scopes to invalidate.</summary>
    public IReadOnlyList<string> Scopes => [.. Entries.Select(e => e.Scope).Concat(Memory.Keys).Distinct(StringComparer.Ordinal)];
}
