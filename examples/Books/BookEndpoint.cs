using LightS3;

namespace Books;

/// <summary>A book: the stored model, the validation schema and the REST endpoint in one class.</summary>
public class BookEndpoint : RestEndpoint<BookEndpoint>
{
    /// <summary>Title, required.</summary>
    [Field(MinLength = 1, MaxLength = 200)] public string Title { get; set; } = "";

    /// <summary>Author, required.</summary>
    [Field(MinLength = 1, MaxLength = 200)] public string Author { get; set; } = "";

    /// <summary>ISBN-13, optional but unique when given.</summary>
    [Field(Pattern = @"^\d{13}$", Unique = true)] public string? Isbn { get; set; }

    /// <summary>Price, two decimal places.</summary>
    [Field(Ge = 0, DecimalPlaces = 2, Default = "0")] public decimal Price { get; set; }

    /// <summary>Whether it can be ordered.</summary>
    [Field(Default = true)] public bool InStock { get; set; }
}
