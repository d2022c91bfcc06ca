using LightS3.Endpoints;
using LightS3.Model;
using LightS3.Query;

namespace LightS3.Tests.Support;

[Filtering(Fields = ["category", "price", "title", "stock", "published", "rating", "tag", "author", "released_at"],
    Search = ["title", "author"],
    Ordering = ["title", "price", "stock", "rating", "created_at", "category"])]
public abstract class ProductBase<TSelf> : RestEndpoint<TSelf> where TSelf : ProductBase<TSelf>, new()
{
    [Field(MinLength = 1)] public string Title { get; set; } = "";
    public string Author { get; set; } = "";
    [Field(Index = true)] public string Category { get; set; } = "";
    [Field(Index = true)] public decimal Price { get; set; }
    [Field(Index = true)] public int? Stock { get; set; }
    public bool Published { get; set; }
    public double? Rating { get; set; }
    [Field(Index = true)] public string? Tag { get; set; }
    public DateTimeOffset? ReleasedAt { get; set; }
}

[Pagination(PaginationStyle.PageNumber, PageSize = 5, MaxPageSize = 50)]
public class ProductPages : ProductBase<ProductPages>;

[Pagination(PaginationStyle.Cursor, PageSize = 5, MaxPageSize = 50)]
public class ProductCursor : ProductBase<ProductCursor>;

/// <summary>Same collection and fields, without any index: for rebuild-after-adding-Index tests.</summary>
[Collection("products")]
[Filtering(Fields = ["category"])]
public class UnindexedProduct : RestEndpoint<UnindexedProduct>
{
    public string Title { get; set; } = "";
    public string Author { get; set; } = "";
    public string Category { get; set; } = "";
    public decimal Price { get; set; }
    public int? Stock { get; set; }
    public bool Published { get; set; }
    public double? Rating { get; set; }
    public string? Tag { get; set; }
    public DateTimeOffset? ReleasedAt { get; set; }
}

/// <summary>Per-user scoping: each caller (X-User header) sees only their own orders.</summary>
[Filtering(Fields = ["status"], Ordering = ["total"])]
[Pagination(PaginationStyle.Cursor, PageSize = 10)]
public class OrderEndpoint : RestEndpoint<OrderEndpoint>
{
    public string Owner { get; set; } = "";
    [Field(Default = "open")] public string Status { get; set; } = "open";
    public decimal Total { get; set; }

    private string Caller => Context.Http.Request.Headers["X-User"].FirstOrDefault() ?? "anonymous";

    public override ValueTask<RecordQuery> QuerysetAsync(RecordQuery query) =>
        ValueTask.FromResult(query.Where(Filter("owner", FilterOperator.Eq, Caller)));

    public override Task<Record> CreateAsync(System.Text.Json.Nodes.JsonObject input)
    {
        input["owner"] = Caller;
        return base.CreateAsync(input);
    }
}

/// <summary>One product as seeded, with the expected values computed in C# (independently of LightS3).</summary>
public sealed record SeedProduct(string Title, string Author, string Category, decimal Price, int? Stock, bool Published, double? Rating, string? Tag)
{
    public static IReadOnlyList<SeedProduct> Make(int count) => Enumerable.Range(0, count).Select(i => new SeedProduct(
        $"Product {i:D2}",
        i % 3 == 0 ? "Ada Lovelace" : "Bob Smith",
        new[] { "news", "tech", "food" }[i % 3],
        (i - 10) * 1.25m,
        i % 4 == 0 ? null : i,
        i % 2 == 0,
        i % 5 == 0 ? null : Math.Round(i / 3.0, 3),
        i % 7 == 0 ? "python-tips" : "misc")).ToList();

    public object Body => new { title = Title, author = Author, category = Category, price = Price, stock = Stock, published = Published, rating = Rating, tag = Tag };
}
