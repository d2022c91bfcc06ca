using LightS3.Model;

namespace LightS3;

/// <summary>
/// Declares what clients may query on the list endpoint:
/// <c>[Filtering(Fields = ["category"], Search = ["title", "author"], Ordering = ["title", "price"])]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class FilteringAttribute : Attribute
{
    /// <summary>Fields usable as <c>?field=</c> and <c>?field__op=</c>.</summary>
    public string[] Fields { get; set; } = [];

    /// <summary>Fields searched case-insensitively by <c>?search=</c>.</summary>
    public string[] Search { get; set; } = [];

    /// <summary>Fields usable in <c>?ordering=a,-b</c>.</summary>
    public string[] Ordering { get; set; } = [];
}

/// <summary>Paginates the list endpoint: <c>[Pagination(PaginationStyle.Cursor, PageSize = 20)]</c>.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class PaginationAttribute(PaginationStyle style) : Attribute
{
    /// <summary>The style.</summary>
    public PaginationStyle Style { get; } = style;

    /// <summary>Default page size.</summary>
    public int PageSize { get; set; } = 20;

    /// <summary>Largest <c>page_size</c> a client may ask for (larger requests are capped).</summary>
    public int MaxPageSize { get; set; } = 100;
}

/// <summary>Limits each client address to <paramref name="requests"/> per <paramref name="seconds"/> on this endpoint: <c>[RateLimit(100, 60)]</c>.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class RateLimitAttribute(int requests, int seconds) : Attribute
{
    /// <summary>The limit.</summary>
    public RateLimitSpec Spec { get; } = new(requests, TimeSpan.FromSeconds(seconds));
}

/// <summary>
/// Caches GET responses (list and retrieve) for <see cref="Ttl"/> seconds; any write invalidates them:
/// <c>[Cache(Ttl = 60)]</c>, optionally <c>VaryOn = ["Accept-Language", "claim:tenant"]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class CacheAttribute : Attribute
{
    /// <summary>Seconds to live.</summary>
    public int Ttl { get; set; } = 60;

    /// <summary>Extra request headers, or <c>claim:name</c>, that select different entries.</summary>
    public string[] VaryOn { get; set; } = [];
}
