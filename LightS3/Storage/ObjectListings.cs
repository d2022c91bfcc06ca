using System.Runtime.CompilerServices;

namespace LightS3.Storage;

/// <summary>Walking a listing past its 1,000-key pages.</summary>
internal static class ObjectListings
{
    /// <summary>Every key under <paramref name="prefix"/> after <paramref name="startAfter"/>, in order, one LIST per 1,000 keys, fetched as consumed.</summary>
    public static IAsyncEnumerable<ObjectEntry> EnumerateAsync(this IObjectStore store, string prefix, string? startAfter = null,
        CancellationToken ct = default) => store.EnumerateAsync(prefix, startAfter, MaxKeys, ct);

    /// <summary>The most keys one LIST returns (S3's limit).</summary>
    public const int MaxKeys = 1000;

    /// <summary>
    /// Every key under <paramref name="prefix"/> after <paramref name="startAfter"/>, in order, fetched as consumed:
    /// the first LIST asks for <paramref name="firstPageSize"/> keys (what the caller expects to need, e.g. a page plus
    /// a little slack), and each further LIST for twice as many as the one before, up to 1,000. A caller that stops
    /// after a page costs O(page) keys listed however large the prefix; one that walks everything costs only a few
    /// more LISTs than with 1,000-key pages.
    /// </summary>
    public static async IAsyncEnumerable<ObjectEntry> EnumerateAsync(this IObjectStore store, string prefix, string? startAfter, int firstPageSize,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var after = startAfter;
        var size = Math.Clamp(firstPageSize, 1, MaxKeys);
        while (true)
        {
            var page = await store.ListAsync(prefix, after, size, ct);
            size = Math.Min(MaxKeys, size * 2);
            foreach (var entry in page.Entries) yield return entry;
            if (!page.IsTruncated || page.Entries.Count == 0) yield break;
            after = page.Entries[^1].Key;
        }
    }
}
