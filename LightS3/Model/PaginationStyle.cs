namespace LightS3;

/// <summary>How list responses are paginated (LightAPI's <c>Meta.pagination</c>).</summary>
public enum PaginationStyle
{
    /// <summary>No pagination: <c>{"results": [...]}</c>, capped at <c>MaxListResults</c>.</summary>
    None,
    /// <summary><c>?page=2&amp;page_size=20</c> → <c>{"count", "pages", "next", "previous", "results"}</c>.</summary>
    PageNumber,
    /// <summary><c>?cursor=…</c> → <c>{"next", "previous", "results"}</c> with opaque keyset cursors.</summary>
    Cursor,
}
