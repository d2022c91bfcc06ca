using System.Runtime.CompilerServices;

namespace LightS3.Storage;

/// <summary>Walking a listing past its 1,000-key pages.</summary>
public static class ObjectListings
{
    /// <summary>Every key under <paramref name="prefix"/> after <paramref name="startAfter"/>, in order, one LIST per 1,000 keys, fetched as consumed.</summary>
    public static async IAsyncEnumerable<ObjectEntry> EnumerateAsync(this IObjectStore store, string prefix, string? startAfter = null,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var after = startAfter;
        while (true)
        {
            var page = await store.ListAsync(prefix, after, 1000, ct);
            foreach (var entry in page.Entries) yield return entry;
            if (!page.IsTruncated || page.Entries.Count == 0) yield break;
            after = page.Entries[^1].Key;
        }
    }
}
