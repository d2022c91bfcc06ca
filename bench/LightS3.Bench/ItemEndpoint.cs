using LightS3.Endpoints;
using LightS3.Model;

namespace LightS3.Bench;

/// <summary>The query benchmark's collection: 'team' has N/200 records per value, 'score' a distinct value per record.</summary>
[Filtering(Fields = ["team", "score", "name"], Search = ["name"], Ordering = ["score"])]
[Pagination(PaginationStyle.Cursor, PageSize = 20)]
public class ItemEndpoint : RestEndpoint<ItemEndpoint>
{
    public string Name { get; set; } = "";
    [Field(Index = true)] public string Team { get; set; } = "";
    [Field(Index = true)] public int Score { get; set; }
    [Field(Unique = true)] public string? Code { get; set; }
}

[Filtering(Fields = ["team"], Search = ["name"])]
[Pagination(PaginationStyle.PageNumber, PageSize = 20)]
[Collection("items")]
public class ItemPagesEndpoint : RestEndpoint<ItemPagesEndpoint>
{
    public string Name { get; set; } = "";
    [Field(Index = true)] public string Team { get; set; } = "";
    [Field(Index = true)] public int Score { get; set; }
    [Field(Unique = true)] public string? Code { get; set; }
}
