using System.Text.Json.Nodes;
using LightS3.Model;
using LightS3.Storage;

namespace LightS3.Documents;

/// <summary>
/// Enforces unique fields with one marker object per (field, value), created with <c>If-None-Match: *</c>:
/// O(1) per field, atomic under races, never a scan.
/// <para>
/// A crash between claiming a marker and writing the record can leave an orphan. A marker is therefore
/// only honoured while it is younger than the grace period or while its owner record still holds the
/// value; an older orphan is taken over with a compare-and-swap on the marker's ETag. So an orphan blocks
/// its value for at most the grace period and repairs itself on the next claim, with no sweeper needed.
/// </para>
/// </summary>
public sealed class UniqueMarkers(IObjectStore store, CollectionLayout layout, TimeProvider time, TimeSpan grace)
{
    /// <summary>
    /// Claims every unique value of <paramref name="fields"/> that differs from <paramref name="previous"/>
    /// for record <paramref name="id"/>. Returns the marker keys claimed; on a conflict, releases what it
    /// claimed and throws <see cref="UniqueConflictException"/>.
    /// </summary>
    public async Task<IReadOnlyList<string>> ClaimAsync(EndpointModel model, string id, JsonObject fields, JsonObject? previous, CancellationToken ct)
    {
        var claimed = new List<string>();
        try
        {
            foreach (var field in model.UniqueFields)
            {
                var value = TextOf(fields[field.Name]);
                if (value is null || value == TextOf(previous?[field.Name])) continue;
                var key = layout.UniqueKey(field.Name, value);
                await ClaimOneAsync(field.Name, value, key, id, ct);
                claimed.Add(key);
            }
            return claimed;
        }
        catch
        {
            await ReleaseAsync(claimed, id, CancellationToken.None);
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

    private async Task ClaimOneAsync(string field, string value, string key, string id, CancellationToken ct)
    {
        var body = RecordCodec.Encode(new JsonObject
        {
            ["id"] = id,
            ["field"] = field,
            ["claimed_at"] = time.GetUtcNow().ToUnixTimeMilliseconds(),
        });
        for (var attempt = 0; attempt < 4; attempt++)
        {
            try
            {
                await store.PutAsync(key, body, WriteCondition.IfNoneMatch, ct);
                return;
            }
            catch (PreconditionFailedException)
            {
            }
            var marker = await store.GetAsync(key, ct);
            if (marker is null) continue; // released meanwhile: try again
            var (owner, claimedAt) = Parse(key, marker);
            if (owner == id) return;
            if (time.GetUtcNow().ToUnixTimeMilliseconds() - claimedAt < grace.TotalMilliseconds) throw new UniqueConflictException(field);
            var ownerRecord = owner is null ? null : await store.GetAsync(layout.RecordKey(owner), ct);
            if (ownerRecord is not null && TextOf(RecordCodec.Decode(ownerRecord.Key, ownerRecord.Content)[field]) == value)
                throw new UniqueConflictException(field);
            try
            {
                await store.PutAsync(key, body, WriteCondition.IfMatch(marker.ETag), ct); // take over the orphan
                return;
            }
            catch (PreconditionFailedException)
            {
            }
        }
        throw new UniqueConflictException(field);
    }

    /// <summary>The id of the record holding <paramref name="value"/> of <paramref name="field"/>, if a marker claims it.</summary>
    public async Task<string?> OwnerOfAsync(string field, string value, CancellationToken ct)
    {
        var key = layout.UniqueKey(field, value);
        var marker = await store.GetAsync(key, ct);
        return marker is null ? null : Parse(key, marker).Owner;
    }

    /// <summary>
    /// Releases markers that record <paramref name="id"/> owns. Best effort: a marker left behind is an
    /// orphan that the next claimer repairs.
    /// </summary>
    public async Task ReleaseAsync(IEnumerable<string> keys, string id, CancellationToken ct)
    {
        foreach (var key in keys)
        {
            try
            {
                var marker = await store.GetAsync(key, ct);
                if (marker is not null && Parse(key, marker).Owner == id) await store.DeleteObservedAsync(key, marker.ETag, ct);
            }
            catch (StorageException)
            {
                // left behind: an orphan the next claimer repairs
            }
        }
    }

    private static (string? Owner, long ClaimedAt) Parse(string key, StoredObject marker)
    {
        try
        {
            var o = RecordCodec.Decode(key, marker.Content);
            return (o["id"]?.GetValue<string>(), Record.IntegerOf(o["claimed_at"]) ?? 0);
        }
        catch (Exception e) when (e is CorruptRecordException or InvalidOperationException or FormatException)
        {
            return (null, 0); // unreadable marker: treat as an old orphan
        }
    }

    /// <summary>The canonical text of a value, which is what a marker claims.</summary>
    public static string? TextOf(JsonNode? value) => Validation.FieldValues.TextOf(value);
}
