using System.Globalization;

namespace LightS3.Documents;

/// <summary>
/// Where the change entries of a collection live: <c>{collection}/changes/{utc ticks, 19 digits}-{id}-{version, 19 digits}</c>,
/// so a plain LIST is time order, and the cursor of an entry is its key after the prefix. An entry's time is the
/// <c>updated_at</c> of the version it announces (or the delete time of a tombstone), so the entry of a known version is
/// a known key.
/// </summary>
internal static class ChangeCursor
{
    private const int Digits = 19;

    /// <summary>The prefix of the entries of <paramref name="collection"/>.</summary>
    public static string Prefix(string collection) => $"{collection}/changes/";

    /// <summary>The cursor of the entry announcing version <paramref name="version"/> of <paramref name="id"/> written at <paramref name="at"/>.</summary>
    public static string Of(DateTimeOffset at, string id, long version) =>
        $"{at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}-{id}-{version.ToString("D19", CultureInfo.InvariantCulture)}";

    /// <summary>The cursor that sorts before every entry written at or after <paramref name="at"/>.</summary>
    public static string Before(DateTimeOffset at) => (at.UtcTicks - 1).ToString("D19", CultureInfo.InvariantCulture) + "~";

    /// <summary>The time, id and version of a cursor; null when it is not one.</summary>
    public static (DateTimeOffset At, string Id, long Version)? Parse(string cursor)
    {
        if (cursor.Length < 2 * Digits + 3 || cursor[Digits] != '-' || cursor[^(Digits + 1)] != '-') return null;
        if (!long.TryParse(cursor.AsSpan(0, Digits), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks) return null;
        if (!long.TryParse(cursor.AsSpan(cursor.Length - Digits), NumberStyles.None, CultureInfo.InvariantCulture, out var version)) return null;
        var id = cursor[(Digits + 1)..^(Digits + 1)];
        return id.Length == 0 ? null : (new DateTimeOffset(ticks, TimeSpan.Zero), id, version);
    }

    /// <summary>Whether <paramref name="since"/> is acceptable as a starting point: an entry cursor, or a <see cref="Before"/> mark.</summary>
    public static bool IsValid(string since) =>
        Parse(since) is not null
        || (since.Length == Digits + 1 && since[^1] == '~' && long.TryParse(since.AsSpan(0, Digits), NumberStyles.None, CultureInfo.InvariantCulture, out _));

    /// <summary>The time part of a cursor or mark (its first 19 digits).</summary>
    public static long TicksOf(string cursor) => long.Parse(cursor.AsSpan(0, Digits), NumberStyles.None, CultureInfo.InvariantCulture);
}
