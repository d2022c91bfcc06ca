using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using LightS3.Storage;

namespace LightS3.Documents;

/// <summary>
/// Checks, and on request repairs, what a collection's stored records imply about its other objects — the invariants a
/// copy of a store taken object by object (a backup under writes) can break:
/// <list type="bullet">
/// <item>every unique value of every stored record (live, soft-deleted or not yet swept) is claimed by that record's marker;</item>
/// <item>every index entry and expiry entry the record's current version needs exists.</item>
/// </list>
/// Everything is re-derived from the records, never from the markers or entries themselves. A repair writes what is
/// missing (an entry: an idempotent PUT; a claim: a compare-and-swap PUT on the marker read). Two stored records holding
/// one unique value cannot be repaired without choosing one: they are reported. Stale entries and orphaned claims are
/// not violations (reads verify them away, <c>gc</c> and <c>reindex</c> collect them).
/// </summary>
/// <param name="records">The collection.</param>
/// <param name="time">The clock (claim times).</param>
/// <param name="claimGrace">
/// How old a claim by another record must be before it counts as an orphan that may be taken over: the app's grace on a
/// store in use; zero right after a restore, when no write can be in flight.
/// </param>
/// <param name="parallelism">Records checked at once.</param>
internal sealed class StoreInvariants(RecordRepository records, TimeProvider time, TimeSpan claimGrace, int parallelism = 16)
{
    /// <summary>Checks the collection; with <paramref name="repair"/>, writes what is missing.</summary>
    public async Task<InvariantReport> RunAsync(bool repair, CancellationToken ct)
    {
        var store = records.Store;
        var model = records.Model;
        var markers = new UniqueMarkers(store, records.Layout, time, claimGrace);
        var index = new IndexEntries(model, store, records.Index);
        var expiry = records.Lifecycle.Expiry;
        var existing = new HashSet<string>(StringComparer.Ordinal);
        if (model.IndexedFields.Any()) await foreach (var e in store.EnumerateAsync(records.Index.Root, null, ct)) existing.Add(e.Key);
        if (expiry is not null) await foreach (var e in store.EnumerateAsync(expiry.Prefix, null, ct)) existing.Add(e.Key);

        long checkedRecords = 0, claims = 0, entries = 0, expiries = 0;
        var unresolved = new ConcurrentBag<string>();
        var holders = new ConcurrentDictionary<(string Field, string Value), string>();
        await Parallel.ForEachAsync(store.EnumerateAsync(records.Layout.RecordsPrefix, null, ct),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, async (entry, token) =>
            {
                if (records.Layout.IdOf(entry.Key) is not { } id || Tombstones.StateOf(entry) == Tombstones.ListedState.Tombstone) return;
                Record? record;
                try
                {
                    record = await records.ReadAsync(id, token); // soft-deleted and expired records hold their values too
                }
                catch (CorruptRecordException)
                {
                    return;
                }
                if (record is null) return;
                Interlocked.Increment(ref checkedRecords);
                var data = record.Peek();
                foreach (var field in model.UniqueFields)
                {
                    if (UniqueMarkers.TextOf(data[field.Name]) is not { } value) continue;
                    if (holders.GetOrAdd((field.Name, value), record.Id) is var first && first != record.Id)
                    {
                        var pair = new[] { first, record.Id }.Order(StringComparer.Ordinal).ToList();
                        unresolved.Add($"{model.Collection}: records {pair[0]} and {pair[1]} both hold {field.Name} = '{value}': change or delete one");
                        continue;
                    }
                    var (state, owner) = await EnsureClaimAsync(markers, field.Name, value, record, repair, token);
                    if (state == ClaimState.Missing) Interlocked.Increment(ref claims);
                    else if (state == ClaimState.InFlight) unresolved.Add($"{model.Collection}: record {record.Id} holds {field.Name} = '{value}', claimed by a write of {owner} in flight: check again later");
                }
                var missing = index.KeysOf(data, id, record.Version).Where(k => !existing.Contains(k)).ToList();
                if (missing.Count > 0)
                {
                    Interlocked.Add(ref entries, missing.Count);
                    if (repair) await index.WriteAsync(missing, record.Version, token);
                }
                if (expiry is not null && records.Lifecycle.DueAt(data) is { } due && !existing.Contains(expiry.Key(due, id)))
                {
                    Interlocked.Increment(ref expiries);
                    if (repair) await expiry.WriteAsync(due, id, token);
                }
            });
        return new InvariantReport(model.Collection, checkedRecords, claims, entries, expiries, repair, unresolved.Order(StringComparer.Ordinal).ToList());
    }

    private enum ClaimState { Held, Missing, Duplicate, InFlight }

    /// <summary>Whether <paramref name="record"/>'s marker of <paramref name="value"/> claims it; with <paramref name="repair"/>, claims it when not.</summary>
    private async Task<(ClaimState, string?)> EnsureClaimAsync(UniqueMarkers markers, string field, string value, Record record, bool repair, CancellationToken ct)
    {
        var key = records.Layout.UniqueKey(field, value);
        var body = MarkerBodies.Claimed(record.Id, field, value, record.Version, time.GetUtcNow().ToUnixTimeMilliseconds());
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var stored = await records.Store.GetAsync(key, ct);
            if (stored is not null)
            {
                var marker = Marker.Parse(key, stored);
                if (marker.State == MarkerState.Claimed && marker.Owner == record.Id) return (ClaimState.Held, null);
                // another record's claim: a duplicate when it holds the value (reported by the caller, which sees both
                // records); taken over only once it is an orphan
                if (marker.State == MarkerState.Claimed && !await markers.IsOrphanAsync(field, value, marker, ct))
                    return (await HoldsAsync(marker.Owner, field, value, ct) ? ClaimState.Duplicate : ClaimState.InFlight, marker.Owner);
            }
            if (!repair) return (ClaimState.Missing, null);
            try
            {
                await records.Store.PutAsync(key, body, stored is null ? WriteCondition.IfNoneMatch : WriteCondition.IfMatch(stored.ETag), ct);
                return (ClaimState.Missing, null);
            }
            catch (PreconditionFailedException)
            {
                // changed meanwhile: judge it again
            }
        }
        return (ClaimState.InFlight, null);
    }

    private async Task<bool> HoldsAsync(string? owner, string field, string value, CancellationToken ct)
    {
        if (owner is null || !RecordIds.IsSafeName(owner)) return false;
        try
        {
            return await records.ReadAsync(owner, ct) is { } other && UniqueMarkers.TextOf(other.Peek()[field]) == value;
        }
        catch (CorruptRecordException)
        {
            return false;
        }
    }
}

/// <summary>What <see cref="StoreInvariants"/> found (and, when <paramref name="Repaired"/>, wrote) in one collection.</summary>
/// <param name="Collection">The collection.</param>
/// <param name="Records">Stored records checked.</param>
/// <param name="UniqueClaims">Unique values of records that their marker did not claim (missing, free, or another record's orphaned claim).</param>
/// <param name="IndexEntries">Missing index entries.</param>
/// <param name="ExpiryEntries">Missing expiry entries.</param>
/// <param name="Repaired">Whether the missing claims and entries were written.</param>
/// <param name="Unresolved">
/// What no repair can fix, one sentence each: a unique value held by two stored records (fixed only by changing or
/// deleting one), or held by a record while a young claim of another is in flight.
/// </param>
internal sealed record InvariantReport(string Collection, long Records, long UniqueClaims, long IndexEntries, long ExpiryEntries, bool Repaired, IReadOnlyList<string> Unresolved)
{
    /// <summary>Whether anything was missing or unresolved.</summary>
    public bool Violated => UniqueClaims + IndexEntries + ExpiryEntries > 0 || Unresolved.Count > 0;
}
