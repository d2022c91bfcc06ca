using System.Runtime.CompilerServices;
using LightS3.Documents;
using LightS3.Model;
using LightS3.Storage;

namespace LightS3.Query;

/// <summary>
/// Answers a <see cref="RecordQuery"/> for one page, following the <see cref="QueryPlanner"/>'s plan.
/// Every path applies the same <see cref="RecordMatcher"/> to the records it returns, so an index only ever
/// narrows what is read: a stale index entry (left by a crash or a lost race) is verified away, never served.
/// </summary>
public sealed class QueryEngine(RecordRepository records, int readParallelism = 16)
{
    // MaybeDeleted: tombstone-sized on a store whose listing cannot tell (see Tombstones); read before counting it
    private sealed record Candidate(string Id, string? ETag, string? Encoded, bool MaybeDeleted = false);

    /// <summary>The plan the engine would use for <paramref name="query"/>.</summary>
    public QueryPlan Explain(RecordQuery query) => QueryPlanner.Plan(query, records.Index);

    /// <summary>Runs <paramref name="query"/> and returns the requested page.</summary>
    public Task<QueryPage> ExecuteAsync(RecordQuery query, PageRequest page, CancellationToken ct = default) => ExecuteAsync(query, page, null, ct);

    /// <summary>
    /// Runs <paramref name="query"/> over the records <paramref name="visible"/> admits (a caller's object-level read
    /// permission): it is judged inside the paging, so pages stay full, counts count only what the caller sees and a
    /// next page is never promised on records the caller would not get.
    /// </summary>
    internal async Task<QueryPage> ExecuteAsync(RecordQuery query, PageRequest page, Func<Record, ValueTask<bool>>? visible, CancellationToken ct)
    {
        var plan = Explain(query);
        // hidden records (soft-deleted, expired) are listed like live ones: every candidate must then be read to count it;
        // so must every candidate a per-record permission judges
        var judged = visible is not null || records.HidesRecords;
        return plan.Kind switch
        {
            QueryPlanKind.KeyWalk => await StreamAsync(query, page, KeyWalkRange(), null, verifyLookahead: judged, visible, ct),
            QueryPlanKind.IndexStream => await StreamAsync(query, page, plan.Ranges![0], plan, !plan.Exact || judged, visible, ct),
            QueryPlanKind.IndexCandidates => InMemory(query, page, await VisibleAsync(await LoadIndexCandidatesAsync(query, plan, ct), visible)),
            _ => InMemory(query, page, await VisibleAsync(await ScanAsync(query, ct), visible)),
        };
    }

    private static async Task<List<Record>> VisibleAsync(List<Record> matched, Func<Record, ValueTask<bool>>? visible)
    {
        if (visible is null) return matched;
        var shown = new List<Record>(matched.Count);
        foreach (var r in matched)
            if (await visible(r)) shown.Add(r);
        return shown;
    }

    private KeyRange KeyWalkRange() => new(records.Layout.RecordsPrefix, null, null);

    // ---- streaming: pages read in key order from a cursor, without touching the rest of the collection ----

    private async Task<QueryPage> StreamAsync(RecordQuery query, PageRequest page, KeyRange range, QueryPlan? plan, bool verifyLookahead,
        Func<Record, ValueTask<bool>>? visible, CancellationToken ct)
    {
        bool Accept(Record r, Candidate c)
        {
            var accepted = (plan?.IndexField is not { } f || FieldPaths.ValuesOf(r.Peek(), f).Any(v => IndexEncoding.Encode(f, v) == c.Encoded))
                && RecordMatcher.Matches(query, r.Peek());
            if (plan?.IndexField is not null) Diagnostics.LightS3Telemetry.CountIndexVerification(records.Model.Collection, accepted);
            return accepted;
        }
        async ValueTask<bool> Shows(Record r, Candidate c) => Accept(r, c) && (visible is null || await visible(r));

        switch (page)
        {
            case PageRequest.All all:
            {
                var (items, more) = await TakeAsync(Candidates(range, null, plan, ct, ListingSizeFor(all.Max)), Shows, all.Max, verifyLookahead, ct);
                return new QueryPage(items, null, more, false);
            }
            case PageRequest.Numbered numbered when !verifyLookahead && CountingStore(plan) is { } counting:
            {
                // the store counts the range without listing it; only the keys up to the page are listed
                var total = await counting.CountAsync(range.Prefix, range.StartAfter, range.EndBefore, plan is null ? Tombstones.ETag : null, ct);
                var skip = (long)(numbered.Number - 1) * numbered.Size;
                var rest = DistinctStream(Candidates(range, null, plan, ct, ListingSizeFor((int)Math.Min(skip + numbered.Size, ObjectListings.MaxKeys))), ct)
                    .Skip((int)Math.Min(skip, int.MaxValue));
                var (items, _) = await TakeAsync(rest, Shows, numbered.Size, false, ct);
                return new QueryPage(items, total, skip + numbered.Size < total, numbered.Number > 1);
            }
            case PageRequest.Numbered numbered when !verifyLookahead:
            {
                // every candidate is a match (bar stale entries): count and skip without reading records
                var candidates = await WithoutDeletedAsync(await DistinctAsync(Candidates(range, null, plan, ct), ct), ct);
                var skip = (long)(numbered.Number - 1) * numbered.Size;
                var rest = candidates.Skip((int)Math.Min(skip, candidates.Count)).ToAsyncEnumerable();
                var (items, _) = await TakeAsync(rest, Shows, numbered.Size, false, ct);
                return new QueryPage(items, candidates.Count, skip + numbered.Size < candidates.Count, numbered.Number > 1);
            }
            case PageRequest.Numbered:
                return InMemory(query, page, await LoadAllAsync(Candidates(range, null, plan, ct), Shows, ct));
            case PageRequest.Keyset { Position: { Before: true } position } keyset:
            {
                var bounded = range with { EndBefore = Min(range.EndBefore, PositionKey(position, range, plan, after: false)) };
                // backwards from the position where the store can (O(page)); on S3, the range from its start, reversed
                var before = records.Store.BackwardLister() is { } reverse
                    ? CandidatesBackward(reverse, bounded, plan, ListingSizeFor(keyset.Size), ct)
                    : await ReversedAsync(Candidates(bounded, null, plan, ct), ct);
                var (items, more) = await TakeAsync(before, Shows, keyset.Size, verifyLookahead, ct);
                items.Reverse();
                return new QueryPage(items, null, true, more);
            }
            case PageRequest.Keyset keyset:
            {
                var after = keyset.Position is null ? null : PositionKey(keyset.Position, range, plan, after: true);
                var (items, more) = await TakeAsync(Candidates(range, after, plan, ct, ListingSizeFor(keyset.Size)), Shows, keyset.Size, verifyLookahead, ct);
                return new QueryPage(items, null, more, keyset.Position is not null);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(page));
        }
    }

    /// <summary>The key that bounds a cursor position in the plan's key space (all versions of its entry excluded).</summary>
    private string PositionKey(Cursor position, KeyRange range, QueryPlan? plan, bool after)
    {
        if (plan?.IndexField is not { } field) return records.Layout.RecordKey(position.Id); // exclusive either way
        // ordered by the field: the position carries its value; creation order within one value: the range fixes it
        var encoded = position.Values.Count == 2 ? IndexEncoding.Encode(field, position.Values[0]) : null;
        var valuePrefix = encoded is null ? range.Prefix : records.Index.FieldPrefix(field.Name) + encoded + "/";
        return valuePrefix + position.Id + (after ? "/~" : "/");
    }

    /// <summary>
    /// The store that can count <paramref name="plan"/>'s range exactly without listing it, or null: a store with a
    /// count (SQLite, memory; not S3) and a range whose keys are one per match — index entries, or the record keys of
    /// the default layout (a custom records path may hold other objects), counted without tombstones.
    /// </summary>
    private ICountingObjectStore? CountingStore(QueryPlan? plan) =>
        plan is null && records.Layout.RecordsPrefix != $"{records.Layout.Collection}/records/" ? null : records.Store.Counter();

    /// <summary>
    /// How many keys the first LIST of a page asks for: the page, one more to tell whether a next page exists, and a
    /// quarter more (at least 4) for tombstones and entries that verification drops; later LISTs double (see
    /// <see cref="ObjectListings"/>). A page of 20 lists 26 keys, not 1,000, however large the collection.
    /// </summary>
    internal static int ListingSizeFor(int pageSize) => (int)Math.Min(ObjectListings.MaxKeys, pageSize + 1L + Math.Max(4, pageSize / 4));

    private static async IAsyncEnumerable<Candidate> DistinctStream(IAsyncEnumerable<Candidate> source, [EnumeratorCancellation] CancellationToken ct)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var c in source.WithCancellation(ct))
            if (seen.Add(c.Id)) yield return c;
    }

    private async IAsyncEnumerable<Candidate> Candidates(KeyRange range, string? startAfter, QueryPlan? plan, [EnumeratorCancellation] CancellationToken ct,
        int firstListing = ObjectListings.MaxKeys)
    {
        await foreach (var entry in records.Store.EnumerateAsync(range.Prefix, KeyRange.Max(range.StartAfter, startAfter), firstListing, ct))
        {
            if (range.IsPastEnd(entry.Key)) yield break;
            if (ToCandidate(entry, plan) is { } c) yield return c;
        }
    }

    /// <summary>The range's candidates from its end down, listed in growing pages like <see cref="Candidates"/>.</summary>
    private async IAsyncEnumerable<Candidate> CandidatesBackward(IReverseListingObjectStore store, KeyRange range, QueryPlan? plan, int firstListing,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var end = range.EndBefore;
        var size = firstListing;
        while (true)
        {
            var page = await store.ListBeforeAsync(range.Prefix, end, size, ct);
            size = Math.Min(ObjectListings.MaxKeys, size * 2);
            foreach (var entry in page.Entries)
            {
                if (range.StartAfter is not null && string.CompareOrdinal(entry.Key, range.StartAfter) <= 0) yield break;
                if (ToCandidate(entry, plan) is { } c) yield return c;
            }
            if (!page.IsTruncated || page.Entries.Count == 0) yield break;
            end = page.Entries[^1].Key;
        }
    }

    private static async Task<IAsyncEnumerable<Candidate>> ReversedAsync(IAsyncEnumerable<Candidate> source, CancellationToken ct)
    {
        var list = new List<Candidate>();
        await foreach (var c in source.WithCancellation(ct)) list.Add(c);
        list.Reverse();
        return list.ToAsyncEnumerable();
    }

    /// <summary>The candidate a listed key stands for: a live (or maybe deleted) record key, or an index entry; null for anything else.</summary>
    private Candidate? ToCandidate(ObjectEntry entry, QueryPlan? plan)
    {
        if (plan?.IndexField is not null)
            return records.Index.Parse(entry.Key) is { } e ? new Candidate(e.Id, null, e.Encoded) : null;
        var state = Tombstones.StateOf(entry);
        return state != Tombstones.ListedState.Tombstone && records.Layout.IdOf(entry.Key) is { } id
            ? new Candidate(id, entry.ETag, null, state == Tombstones.ListedState.Unknown)
            : null;
    }

    /// <summary>
    /// Reads candidates in order, in batches of what the page still needs, until <paramref name="size"/> are
    /// accepted. Whether more follow is decided by the next candidate: verified when conditions go beyond the
    /// index (so a page never promises an empty successor), taken on trust otherwise (no extra GET).
    /// </summary>
    private async Task<(List<Record> Items, bool More)> TakeAsync(IAsyncEnumerable<Candidate> source, Func<Record, Candidate, ValueTask<bool>> accept,
        int size, bool verifyLookahead, CancellationToken ct)
    {
        var items = new List<Record>();
        var emitted = new HashSet<string>(StringComparer.Ordinal);
        await using var e = source.GetAsyncEnumerator(ct);
        var batch = new List<Candidate>();
        while (true)
        {
            batch.Clear();
            var want = items.Count < size ? size - items.Count : 1;
            while (batch.Count < want && await e.MoveNextAsync())
                if (!emitted.Contains(e.Current.Id)) batch.Add(e.Current);
            if (batch.Count == 0) return (items, false);
            if (items.Count == size && !verifyLookahead) return (items, true);
            var loaded = await LoadAsync(batch, ct);
            for (var i = 0; i < batch.Count; i++)
            {
                if (loaded[i] is not { } r || emitted.Contains(r.Id) || !await accept(r, batch[i])) continue;
                if (items.Count == size) return (items, true);
                items.Add(r);
                emitted.Add(r.Id);
            }
        }
    }

    private async Task<List<Record>> LoadAllAsync(IAsyncEnumerable<Candidate> source, Func<Record, Candidate, ValueTask<bool>> accept, CancellationToken ct)
    {
        var candidates = await DistinctAsync(source, ct);
        var loaded = await LoadAsync(candidates, ct);
        var accepted = new List<Record>(loaded.Length);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < loaded.Length; i++)
            if (loaded[i] is { } r && await accept(r, candidates[i]) && seen.Add(r.Id)) accepted.Add(r);
        return accepted;
    }

    private static async Task<List<Candidate>> DistinctAsync(IAsyncEnumerable<Candidate> source, CancellationToken ct)
    {
        var list = new List<Candidate>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var c in source.WithCancellation(ct))
            if (seen.Add(c.Id)) list.Add(c);
        return list;
    }

    /// <summary>Drops the candidates a listing could not tell from tombstones and that are tombstones (reads only those).</summary>
    private async Task<List<Candidate>> WithoutDeletedAsync(List<Candidate> candidates, CancellationToken ct)
    {
        var unsure = candidates.Where(c => c.MaybeDeleted).ToList();
        if (unsure.Count == 0) return candidates;
        var loaded = await LoadAsync(unsure, ct);
        var deleted = unsure.Where((_, i) => loaded[i] is null).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        return candidates.Where(c => !deleted.Contains(c.Id)).ToList();
    }

    // ---- candidates from the index, or every record: filtered, sorted and sliced in memory ----

    private async Task<List<Record>> LoadIndexCandidatesAsync(RecordQuery query, QueryPlan plan, CancellationToken ct)
    {
        var all = new List<Candidate>();
        foreach (var range in plan.Ranges!) all.AddRange(await DistinctAsync(Candidates(range, null, plan, ct), ct));
        var candidates = all.DistinctBy(c => c.Id).ToList();
        var loaded = await LoadAsync(candidates, ct);
        var matches = loaded.Where(r => r is not null && RecordMatcher.Matches(query, r.Peek())).Select(r => r!).ToList();
        Diagnostics.LightS3Telemetry.CountIndexVerifications(records.Model.Collection, matches.Count, candidates.Count - matches.Count);
        return matches;
    }

    private async Task<List<Record>> ScanAsync(RecordQuery query, CancellationToken ct)
    {
        var candidates = await DistinctAsync(Candidates(KeyWalkRange(), null, null, ct), ct);
        var loaded = await LoadAsync(candidates, ct);
        return loaded.Where(r => r is not null && RecordMatcher.Matches(query, r.Peek())).Select(r => r!).ToList();
    }

    private static QueryPage InMemory(RecordQuery query, PageRequest page, List<Record> matched)
    {
        var ordering = query.EffectiveOrdering;
        matched.Sort((a, b) => RecordMatcher.Compare(ordering, a.Peek(), b.Peek()));
        switch (page)
        {
            case PageRequest.All all:
                return new QueryPage(matched.Take(all.Max).ToList(), matched.Count, matched.Count > all.Max, false);
            case PageRequest.Numbered n:
                var skip = (long)(n.Number - 1) * n.Size;
                return new QueryPage(matched.Skip((int)Math.Min(skip, matched.Count)).Take(n.Size).ToList(), matched.Count, skip + n.Size < matched.Count, n.Number > 1);
            case PageRequest.Keyset { Position: null } k:
                return new QueryPage(matched.Take(k.Size).ToList(), null, matched.Count > k.Size, false);
            case PageRequest.Keyset { Position: { Before: true } p } k:
            {
                var end = matched.FindIndex(r => RecordMatcher.Compare(ordering, r.Peek(), p) >= 0);
                if (end < 0) end = matched.Count;
                var start = Math.Max(0, end - k.Size);
                return new QueryPage(matched.GetRange(start, end - start), null, end < matched.Count, start > 0);
            }
            case PageRequest.Keyset { Position: { } p } k:
            {
                var start = matched.FindIndex(r => RecordMatcher.Compare(ordering, r.Peek(), p) > 0);
                if (start < 0) start = matched.Count;
                var count = Math.Min(k.Size, matched.Count - start);
                return new QueryPage(matched.GetRange(start, count), null, start + count < matched.Count, start > 0);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(page));
        }
    }

    // ---- loading: the record cache answers unchanged records (by key and ETag), the rest are GETs in parallel ----

    private async Task<Record?[]> LoadAsync(IReadOnlyList<Candidate> candidates, CancellationToken ct)
    {
        var results = new Record?[candidates.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, candidates.Count),
            new ParallelOptions { MaxDegreeOfParallelism = readParallelism, CancellationToken = ct },
            async (i, token) =>
            {
                var c = candidates[i];
                try
                {
                    results[i] = await records.GetListedAsync(c.Id, c.ETag, token);
                }
                catch (CorruptRecordException)
                {
                    // skipped, as in plain listings
                }
            });
        return results;
    }

    private static string? Min(string? a, string? b) => a is null ? b : b is null ? a : string.CompareOrdinal(a, b) <= 0 ? a : b;
}
