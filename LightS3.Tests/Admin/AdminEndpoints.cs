using LightS3.Auth;
using LightS3.Endpoints;
using LightS3.Model;
using LightS3.Query;
using LightS3.Tests.Support;

namespace LightS3.Tests.Admin;

/// <summary>A Books-like collection for the admin UI: admin-only, filterable, searchable, orderable, indexed by genre, three records a page.</summary>
[Authentication(typeof(JwtAuthentication), Permission = typeof(IsAdminUser))]
[Filtering(Fields = ["author", "genre", "in_stock", "pages"], Search = ["title", "author"], Ordering = ["title", "price"])]
[Pagination(PaginationStyle.PageNumber, PageSize = 3, MaxPageSize = 50)]
public class AdminBookEndpoint : RestEndpoint<AdminBookEndpoint>
{
    [Field(MinLength = 1, MaxLength = 100)] public string Title { get; set; } = "";
    [Field(MinLength = 1)] public string Author { get; set; } = "";
    [Field(Pattern = @"^\d{13}$", Unique = true)] public string? Isbn { get; set; }
    [Field(Ge = 0, DecimalPlaces = 2, Default = "0")] public decimal Price { get; set; }
    [Field(Ge = 1, Le = 10000)] public int? Pages { get; set; }
    [Field(Default = true)] public bool InStock { get; set; }
    [Field(Default = Genre.Fiction, Index = true)] public Genre Genre { get; set; }
}
