using System.Globalization;
using LightS3.Storage;

namespace LightS3.Documents;

/// <summary>
/// The index the expiry sweep reads instead of scanning: one empty object per record that falls due,
/// <c>{collection}/expiry/{due, yyyyMMddTHHmmss.fffffffZ}/{id}</c>, so the due entries are a prefix listing in time
/// order that stops at the first entry still in the future. An entry is written before the record that needs it
/// commits and removed after the record moves on, so a crash leaves a stale entry (verified against the record,
/// removed by the sweep), never a missing one.
/// </summary>
internal sealed class ExpiryIndex(IObjectStore store, string collection)
{
    private const string Format = "yyyyMMdd'T'HHmmssfffffff'Z'";
    private static readonly ReadOnlyMemory<byte> Empty = "{}"u8.ToArray();

    /// <summary>An entry younger than this may belong to a write still in flight: the sweep leaves it even when it looks stale.</summary>
    public static readonly TimeSpan InFlightFloor = TimeSpan.FromMinutes(1);

    /// <summary>The prefix of every entry.</summary>
    public string Prefix { get; } = $"{collection}/expiry/";

    /// <summary>The entry of record <paramref name="id"/> falling due at <paramref name="due"/>.</summary>
    public string Key(DateTimeOffset due, string id) => $"{Prefix}{due.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture)}/{id}";

    /// <summary>The due time and id of an entry key, or null.</summary>
    public (DateTimeOffset Due, string Id)? Parse(string key)
    {
        if (!key.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var rest = key[Prefix.Length..];
        var slash = rest.IndexOf('/');
        if (slash < 0 || !DateTime.TryParseExact(rest[..slash], Format, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var due)) return null;
        return (new DateTimeOffset(due, TimeSpan.Zero), rest[(slash + 1)..]);
    }

    /// <summary>Writes an entry (1 PUT; idempotent).</summary>
    public Task WriteAsync(DateTimeOffset due, string id, CancellationToken ct) => store.PutAsync(Key(due, id), Empty, WriteCondition.None, ct);

    /// <summary>Removes an entry, best effort (a leftover is verified away and swept later).</summary>
    public async Task RemoveAsync(DateTimeOffset due, string id)
    {
        try
        {
            await store.DeleteAsync(Key(due, id));
        }
        catch (StorageException)
        {
        }
    }
}
