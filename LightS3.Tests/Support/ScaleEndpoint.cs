using LightS3.Endpoints;
using LightS3.Model;

namespace LightS3.Tests.Support;

/// <summary>A collection for request-count tests at scale: 'team' has 50 records per value, 'score' is unique per record.</summary>
[Filtering(Fields = ["team", "score", "name"], Search = ["name"], Ordering = ["score"])]
[Pagination(PaginationStyle.Cursor, PageSize = 20)]
public class ScaleEndpoint : RestEndpoint<ScaleEndpoint>
{
    public string Name { get; set; } = "";
    [Field(Index = true)] public string Team { get; set; } = "";
    [Field(Index = true)] public int Score { get; set; }
}

[Filtering(Fields = ["team"], Search = ["name"])]
[Pagination(PaginationStyle.PageNumber, PageSize = 20)]
[Collection("scale")]
public class ScalePagesEndpoint : RestEndpoint<ScalePagesEndpoint>
{
    public string Name { get; set; } = "";
    [Field(Index = true)] public string Team { get; set; } = "";
    [Field(Index = true)] public int Score { get; set; }
}
