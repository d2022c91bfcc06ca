using System.Text.Json.Nodes;
using LightS3.Model;
using LightS3.Storage;

namespace LightS3.Documents;

/// <summary>
/// Enforces unique fields with one marker object per (field, value): O(1) per field, atomic under races,
/// never a scan. Every state change of a marker is a conditional PUT — the one atomic operation every
/// S3-compatible server enforces — never a conditional DELETE (see docs/locking.md):
/// <list type="bullet">
/// <item>claimed: created with <c>If-None-Match: *</c>, or taken from the free state (or from an orphan) with <c>If-Match</c>;</item>
/// <item>released: overwritten with the free state with <c>If-Match</c> on the ETag read;</item>
/// <item>collected: <see cref="Hosting.StorageCollector"/> moves an old free marker to "reaping" with <c>If-Match</c> and then
///   deletes it; claimers leave a young reaping marker alone, so the delete cannot drop a claim.</item>
/// </list>
/// A claim records the record version its write will produce and rewrites <c>claimed_at</c> even when the record
/// already owns the marker, so a write in flight always holds a fresh claim, and a release frees only claims made for
/// versions that are already committed. A marker whose owner record (read back) does not hold the value is an orphan
/// once older than the grace period (far longer than any write takes); it is taken over by compare-and-swap.
/// </summary>
internal sealed class UniqueMarkers(IObjectStore store, CollectionLayout layout, TimeProvider time, TimeSpan grace)
{
    /// <summary>How long a "reaping" marker is left to its collector before a claimer may take it over.</summary>
    public static readonly TimeSpan ReapTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Claims every unique value of <paramref name="fields"/> that differs from <paramref name="previous"/> (the version
    /// the write is based on) for record <paramref name="id"/>, whose write will produce <paramref name="version"/>.
    /// A value the base version holds needs no claim: releasing it takes a committed version without it, and that
    /// commit makes this write's compare-and-swap fail. Throws <see cref="UniqueConflictException"/> when another
    /// record holds a value.
    /// </summary>
    public async Task<IReadOnlyList<string>> ClaimAsync(EndpointModel model, string id, long version, JsonObject fields, JsonObject? previous, CancellationToken ct)
    {
        var claimed = new List<string>();
        try
        {
            foreach (var field in model.UniqueFields)
            {
                if (TextOf(fields[field.Name]) is not { } value || value == TextOf(previous?[field.Name])) continue;
                var key = layout.UniqueKey(field.Name, value);
                await ClaimOneAsync(field.Name, value, key, id, version, ct);
                claimed.Add(key);
            }
            return claimed;
        }
        catch (UniqueConflictException) when (previous is null && claimed.Count > 0)
        {
            // a new record (its id is fresh, nobody else can hold its claims) taken by a later field: free the earlier ones now
            await ReleaseAsync(claimed, id, version, CancellationToken.None);
            throw;
        }
    }

    /// <summary>The marker keys of the unique values in <paramref name="fields"/> that are no longer in <paramref name="current"/>.</summary>
    public IReadOnlyList<string> StaleKeys(EndpointModel model, JsonObject fields, JsonObject? current) =>
        model.UniqueFields
            .Select(f => (f.Name, Old: TextOf(fields[f.Name]), New: TextOf(current?[f.Name])))
            .Where(x => x.Old is not null && x.Old != x.New)
            .Select(x => layout.UniqueKey(x.Name, x.Old!))
            .ToList();

    private async Task ClaimOneAsync(string field, string value, string key, string id, long version, CancellationToken ct)
    {
        var body = MarkerBodies.Claimed(id, field, value, version, Now());
        for (var attempt = 0; attempt < 8; attempt++)
        {
            try
            {
                await store.PutAsync(key, body, WriteCondition.IfNoneMatch, ct);
                return;
            }
            catch (PreconditionFailedException)
            {
            }
            var stored = await store.GetAsync(key, ct);
            if (stored is null) continue; // collected meanwhile: create it again
            var marker = Marker.Parse(key, stored);
            // our record claimed it for a later version: this write is based on a stale version and must not lower the claim
            if (marker.State == MarkerState.Claimed && marker.Owner == id && marker.Version > version) throw new VersionConflictException(id);
            if (marker.State == MarkerState.Reaping && Now() - marker.At < ReapTimeout.TotalMilliseconds)
            {
                await Task.Delay(20 * (attempt + 1), ct); // its collector deletes it in a moment
                continue;
            }
            if (marker.State == MarkerState.Claimed && marker.Owner != id && !await IsOrphanAsync(field, value, marker, ct))
                throw new UniqueConflictException(field);
            try
            {
                // free, reaping for too long, an orphan, or ours (refreshed so a concurrent release cannot free it)
                await store.PutAsync(key, body, WriteCondition.IfMatch(stored.ETag), ct);
                return;
            }
            catch (PreconditionFailedException)
            {
            }
        }
        throw new UniqueConflictException(field);
    }

    /// <summary>
    /// Whether a claimed marker is an orphan: older than the grace period (so no write of its owner is in flight) and
    /// its owner record — deleted, missing or holding another value — does not hold <paramref name="value"/>.
    /// </summary>
    internal async Task<bool> IsOrphanAsync(string field, string value, Marker marker, CancellationToken ct)
    {
        if (Now() - marker.At < grace.TotalMilliseconds) return false;
        if (marker.Owner is null || !RecordIds.IsSafeName(marker.Owner)) return true;
        var ownerKey = layout.RecordKey(marker.Owner);
        var owner = await store.GetAsync(ownerKey, ct);
        if (owner is null)
        {
            // fence the owner's create: a write of it still in flight (stalled, or queued on the server) can never land now
            try
            {
                await store.PutAsync(ownerKey, Tombstones.Bytes, WriteCondition.IfNoneMatch, ct);
                return true;
            }
            catch (PreconditionFailedException)
            {
                owner = await store.GetAsync(ownerKey, ct); // it just landed: judge it like any owner
                if (owner is null) return false;
            }
        }
        if (Tombstones.Is(owner.Content.Span)) return true;
        try
        {
            return TextOf(RecordCodec.Decode(owner.Key, owner.Content)[field]) != value;
        }
        catch (CorruptRecordException)
        {
            return true;
        }
    }

    /// <summary>The id of the record holding <paramref name="value"/> of <paramref name="field"/>, if a marker claims it.</summary>
    public async Task<string?> OwnerOfAsync(string field, string value, CancellationToken ct)
    {
        var key = layout.UniqueKey(field, value);
        var stored = await store.GetAsync(key, ct);
        return stored is null ? null : Marker.Parse(key, stored) is { State: MarkerState.Claimed } m ? m.Owner : null;
    }

    /// <summary>
    /// Releases markers that record <paramref name="id"/> claimed for a version up to <paramref name="upToVersion"/>
    /// (a claim for a later version belongs to a write still in flight and is left alone), each by a compare-and-swap
    /// PUT of the free state. Best effort: a marker left behind is an orphan that the next claimer or the collector repairs.
    /// </summary>
    public async Task ReleaseAsync(IEnumerable<string> keys, string id, long upToVersion, CancellationToken ct)
    {
        foreach (var key in keys)
        {
            try
            {
                var stored = await store.GetAsync(key, ct);
                if (stored is null || Marker.Parse(key, stored) is not { State: MarkerState.Claimed } marker) continue;
                if (marker.Owner != id || marker.Version > upToVersion) continue;
                await store.PutAsync(key, MarkerBodies.Free(Now()), WriteCondition.IfMatch(stored.ETag), ct);
            }
            catch (StorageException)
            {
                // changed meanwhile (someone else's now) or unreachable: left as it is
            }
        }
    }

    /// <summary>
    /// Collection of one marker (by <see cref="Hosting.StorageCollector"/>): an orphan older than the grace period is freed; a
    /// marker free for longer than <paramref name="freeGrace"/> is moved to "reaping" and deleted. Returns what it did.
    /// </summary>
    internal async Task<MarkerCollection> CollectAsync(string key, TimeSpan freeGrace, CancellationToken ct)
    {
        var stored = await store.GetAsync(key, ct);
        if (stored is null) return MarkerCollection.None;
        var marker = Marker.Parse(key, stored);
        switch (marker.State)
        {
            case MarkerState.Claimed when marker.Field is { } field && marker.Value is { } value && await IsOrphanAsync(field, value, marker, ct):
                await store.PutAsync(key, MarkerBodies.Free(Now()), WriteCondition.IfMatch(stored.ETag), ct);
                return MarkerCollection.Freed;
            case MarkerState.Free or MarkerState.Reaping when !store.AtomicConditionalDelete:
                // the delete would be unconditional (Ceph RGW): it could remove a claim made after the reaping state was
                // seen (an SDK retry, a queued request), so free markers stay — a few dozen bytes each
                return MarkerCollection.None;
            case MarkerState.Free when Now() - marker.At >= freeGrace.TotalMilliseconds:
            case MarkerState.Reaping when Now() - marker.At >= ReapTimeout.TotalMilliseconds:
            {
                var started = time.GetTimestamp();
                var reaping = await store.PutAsync(key, MarkerBodies.Reaping(Now()), WriteCondition.IfMatch(stored.ETag), ct);
                // claimers leave a reaping marker alone for ReapTimeout: delete only well within it
                if (time.GetElapsedTime(started) > ReapTimeout / 4) return MarkerCollection.None;
                await store.DeleteObservedAsync(key, reaping, ct);
                return MarkerCollection.Deleted;
            }
            default:
                return MarkerCollection.None;
        }
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The canonical text of a value, which is what a marker claims.</summary>
    public static string? TextOf(JsonNode? value) => Validation.FieldValues.TextOf(value);
}

/// <summary>What collecting a marker did.</summary>
internal enum MarkerCollection
{
    /// <summary>Nothing (in use, or too young).</summary>
    None,
    /// <summary>An orphan was moved to the free state.</summary>
    Freed,
    /// <summary>An old free marker was deleted.</summary>
    Deleted,
}
