using LightS3.Endpoints;
using LightS3.Model;

namespace LightS3.Tests.Fuzz;

public enum FuzzColor
{
    Red,
    Green,
    Blue,
}

/// <summary>Every field type, indexes, a unique field with a pattern, filters on everything, cursor pagination.</summary>
[Filtering(Fields = ["name", "code", "count", "big", "ratio", "price", "flag", "when", "ref", "color", "id", "created_at", "version"],
    Search = ["name", "code"],
    Ordering = ["name", "count", "price", "ratio", "when", "color", "created_at", "version"])]
[Pagination(PaginationStyle.Cursor, PageSize = 5, MaxPageSize = 20)]
public class FuzzItem : RestEndpoint<FuzzItem>
{
    [Field(Index = true, MaxLength = 300)] public string Name { get; set; } = "";
    [Field(Unique = true, Pattern = @"^[A-Z]{2}\d{3}$")] public string? Code { get; set; }
    [Field(Index = true, Ge = -1000, Le = 1000)] public int? Count { get; set; }
    public long? Big { get; set; }
    [Field(Index = true)] public double? Ratio { get; set; }
    [Field(Index = true, DecimalPlaces = 2)] public decimal? Price { get; set; }
    public bool? Flag { get; set; }
    [Field(Index = true)] public DateTimeOffset? When { get; set; }
    public Guid? Ref { get; set; }
    [Field(Index = true)] public FuzzColor? Color { get; set; }
}
