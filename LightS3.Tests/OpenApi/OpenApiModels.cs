using LightS3.Endpoints;
using LightS3.Hosting;
using LightS3.Query;
using LightS3.Tests.Support;

namespace LightS3.Tests.OpenApi;

/// <summary>Cached and rate-limited reads: their responses carry X-Cache, and 429 carries Retry-After.</summary>
[Cache(Ttl = 30)]
[RateLimit(1000, 60)]
[Filtering(Fields = ["done", "label"], Search = ["label"], Ordering = ["label", "created_at"])]
public class ChecklistEndpoint : RestEndpoint<ChecklistEndpoint>
{
    [Field(MinLength = 1, MaxLength = 40)] public string Label { get; set; } = "";
    public bool Done { get; set; }
    [Field(Gt = 0, Lt = 100)] public double? Weight { get; set; }
}

/// <summary>A tight per-client limit, so a test can meet the 429.</summary>
[RateLimit(3, 60)]
[AllowedMethods(HttpVerbs.Get)]
public class LimitedEndpoint : RestEndpoint<LimitedEndpoint>
{
    public string Name { get; set; } = "";
}

/// <summary>The model set the OpenAPI tests describe: every field type and constraint, both paginations, a serializer, permissions.</summary>
public static class OpenApiModels
{
    public static void Register(LightS3App app)
    {
        app.Register<BookEndpoint>("/books");
        app.Register<ProductPages>("/products");
        app.Register<ProductCursor>("/items");
        app.Register<SecretiveEndpoint>("/secrets");
        app.Register<ArticleEndpoint>("/articles");
        app.Register<LenientEndpoint>("/lenient");
        app.Register<ReadOnlyEndpoint>("/readonly");
        app.Register<ChecklistEndpoint>("/checklist");
        app.Register<LimitedEndpoint>("/limited");
    }

    public static void Configure(LightS3Options o) => o.Jwt.Secret = Tokens.Secret;
}
