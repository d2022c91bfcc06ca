using LightS3;

namespace MyApi;

/// <summary>A product: the stored model, the validation schema and the REST endpoint in one class.</summary>
public class ProductEndpoint : RestEndpoint<ProductEndpoint>
{
    /// <summary>Name, required.</summary>
    [Field(MinLength = 1, MaxLength = 200)] public string Name { get; set; } = "";

    /// <summary>Stock-keeping unit such as <c>LMP-0001</c>, unique across products.</summary>
    [Field(Pattern = @"^[A-Z]{3}-\d{4}$", Unique = true)] public string Sku { get; set; } = "";

    /// <summary>Price, two decimal places.</summary>
    [Field(Ge = 0, DecimalPlaces = 2)] public decimal Price { get; set; }

    /// <summary>Whether it can be ordered.</summary>
    [Field(Default = true)] public bool InStock { get; set; }
}
