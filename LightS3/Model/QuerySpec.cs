namespace LightS3.Model;

/// <summary>
/// What the list endpoint lets clients query (LightAPI's <c>Meta.filtering</c>): fields usable in filters
/// (exact match and operators), fields searched by <c>?search=</c>, and fields usable in <c>?ordering=</c>.
/// Automatic fields (id, created_at, updated_at, version) may be listed too.
/// </summary>
public sealed record FilteringSpec(IReadOnlyList<string> Fields, IReadOnlyList<string> Search, IReadOnlyList<string> Ordering)
{
    /// <summary>Nothing queryable.</summary>
    public static FilteringSpec None { get; } = new([], [], []);
}

/// <summary>Pagination settings: style, default page size and the most a client may ask for.</summary>
public sealed record PaginationSpec(PaginationStyle Style, int PageSize = 20, int MaxPageSize = 100)
{
    /// <summary>No pagination.</summary>
    public static PaginationSpec None { get; } = new(PaginationStyle.None);
}
