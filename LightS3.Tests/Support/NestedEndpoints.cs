using System.Text.Json;
using LightS3.Endpoints;
using LightS3.Model;
using LightS3.Query;
using LightS3.Yaml.Config;

namespace LightS3.Tests.Support;

/// <summary>A nested object with a required member, a pattern, an index and a default.</summary>
public sealed record Address
{
    [Field(MinLength = 1)] public string City { get; init; } = "";
    [Field(Pattern = "^[0-9]{5}$", Index = true)] public string? Zip { get; init; }
    [Field(Default = "FR")] public string Country { get; init; } = "FR";
}

/// <summary>A list item with constraints and an indexed member (a multi-entry index through the list).</summary>
public sealed class OrderLine
{
    [Field(MinLength = 1, Index = true)] public string Sku { get; set; } = "";
    [Field(Ge = 1)] public int Qty { get; set; }
}

/// <summary>A nested object whose members all have defaults: omitted, it is built from them.</summary>
public sealed class Preferences
{
    [Field(Default = "light")] public string Theme { get; set; } = "light";
    [Field(Default = 10)] public int PageSize { get; set; } = 10;
}

/// <summary>An order: every composite kind, nested filters, a nested index and a multi-entry index.</summary>
[Filtering(Fields = ["customer", "address.city", "address.zip", "tags", "lines.sku", "lines.qty"], Search = ["address.city"], Ordering = ["address.city", "address.zip"])]
[Pagination(PaginationStyle.PageNumber, PageSize = 10, MaxPageSize = 100)]
public class NestedOrderEndpoint : RestEndpoint<NestedOrderEndpoint>
{
    public string Customer { get; set; } = "";
    public Address Address { get; set; } = new();
    [Field(MaxLength = 20, MaxItems = 5, UniqueItems = true, Index = true)] public List<string> Tags { get; set; } = [];
    [Field(MinItems = 1)] public List<OrderLine> Lines { get; set; } = [];
    [Field(Ge = 0)] public Dictionary<string, decimal> Prices { get; set; } = [];
    public Preferences Preferences { get; set; } = new();
    public JsonElement? Extra { get; set; }
}

/// <summary>The YAML twin of <see cref="NestedOrderEndpoint"/> (C#/YAML parity).</summary>
public static class NestedYaml
{
    public const string Orders = """
        endpoints:
          - route: /orders
            fields:
              customer: { type: str }
              address:
                type: object
                fields:
                  city: { type: str, min_length: 1 }
                  zip: { type: str, pattern: "^[0-9]{5}$", index: true, optional: true }
                  country: { type: str, default: FR }
              tags: { type: list, items: { type: str, max_length: 20 }, max_items: 5, unique_items: true, index: true }
              lines:
                type: list
                min_items: 1
                items:
                  type: object
                  fields:
                    sku: { type: str, min_length: 1, index: true }
                    qty: { type: int, ge: 1 }
              prices: { type: map, values: { type: decimal, ge: 0 } }
              preferences:
                type: object
                fields:
                  theme: { type: str, default: light }
                  page_size: { type: int, default: 10 }
              extra: { type: json, optional: true }
            meta:
              filtering:
                fields: [customer, address.city, address.zip, tags, lines.sku, lines.qty]
                search: [address.city]
                ordering: [address.city, address.zip]
              pagination: { style: page_number, page_size: 10, max_page_size: 100 }
        """;

    /// <summary>The model of <see cref="Orders"/>.</summary>
    public static EndpointModel Model() => YamlConfigReader.Read(Orders, "orders.yaml", _ => null).Endpoints[0].Model;
}

/// <summary>Registers the order endpoint from C# or from YAML.</summary>
public enum Front
{
    CSharp,
    Yaml,
}

public static class Orders
{
    public static void Register(LightS3App app, Front front)
    {
        if (front == Front.CSharp) app.Register<NestedOrderEndpoint>("/orders");
        else app.RegisterModel(NestedYaml.Model());
    }

    /// <summary>A valid order body.</summary>
    public static object Body(string customer = "ann", string city = "Paris", string? zip = "75001", string[]? tags = null, (string Sku, int Qty)[]? lines = null) => new
    {
        customer,
        address = new { city, zip },
        tags = tags ?? ["python", "rust"],
        lines = (lines ?? [("A-1", 2)]).Select(l => new { sku = l.Sku, qty = l.Qty }).ToArray(),
        prices = new Dictionary<string, decimal> { ["eur"] = 12.5m },
    };
}
