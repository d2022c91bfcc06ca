using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace LightS3.OpenApi;

/// <summary>The shared parts of the document: the problem schema, the bearer scheme, response and header builders.</summary>
internal static class DocumentParts
{
    /// <summary>The component name of the RFC 9457 problem schema.</summary>
    public const string Problem = "Problem";

    /// <summary>The name of the bearer JWT security scheme.</summary>
    public const string Bearer = "bearer";

    private const string Json = "application/json";
    private const string ProblemJson = "application/problem+json";

    /// <summary>Adds a component schema unless one of that name exists; returns a reference to it.</summary>
    public static OpenApiSchemaReference Schema(OpenApiDocument document, string name, Func<OpenApiDocument, OpenApiSchema> build)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        if (!document.Components.Schemas.ContainsKey(name)) document.Components.Schemas[name] = build(document);
        return new OpenApiSchemaReference(name, document);
    }

    /// <summary>A reference to the problem schema (added on first use).</summary>
    public static OpenApiSchemaReference ProblemSchema(OpenApiDocument document) => Schema(document, Problem, _ => new OpenApiSchema
    {
        Type = JsonSchemaType.Object,
        Description = "An RFC 9457 problem: every error LightS3 answers has this shape, with a human `detail`.",
        Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference", Description = "Identifies the problem type." },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The status's reason phrase." },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "100", Maximum = "599" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What went wrong, for humans." },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Messages by field (422) or by query parameter (400).",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        },
        Required = new HashSet<string>(["type", "title", "status", "detail"], StringComparer.Ordinal),
        AdditionalPropertiesAllowed = true,
    });

    /// <summary>Adds the bearer JWT scheme; returns a reference to it.</summary>
    public static OpenApiSecuritySchemeReference BearerScheme(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        if (!document.Components.SecuritySchemes.ContainsKey(Bearer))
            document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A JWT in `Authorization: Bearer <token>` (HS256 with LIGHTS3_JWT_SECRET, or RS256/ES256 with a public key).",
            };
        return new OpenApiSecuritySchemeReference(Bearer, document);
    }

    /// <summary>The security of an operation: none (an explicit anonymous requirement), or the bearer scheme.</summary>
    public static List<OpenApiSecurityRequirement> Security(OpenApiDocument document, bool bearer) => bearer
        ? [new OpenApiSecurityRequirement { [BearerScheme(document)] = [] }]
        : [new OpenApiSecurityRequirement()];

    /// <summary>A JSON response with a body of <paramref name="schema"/>.</summary>
    public static OpenApiResponse Ok(string description, IOpenApiSchema schema, params (string Name, OpenApiHeader Header)[] headers) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { [Json] = new() { Schema = schema } },
        Headers = headers.Length == 0 ? null : headers.ToDictionary(h => h.Name, h => (IOpenApiHeader)h.Header),
    };

    /// <summary>A response without a body.</summary>
    public static OpenApiResponse Empty(string description, params (string Name, OpenApiHeader Header)[] headers) => new()
    {
        Description = description,
        Headers = headers.Length == 0 ? null : headers.ToDictionary(h => h.Name, h => (IOpenApiHeader)h.Header),
    };

    /// <summary>An error response with a problem body.</summary>
    public static OpenApiResponse Error(OpenApiDocument document, string description, params (string Name, OpenApiHeader Header)[] headers) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = ProblemSchema(document) } },
        Headers = headers.Length == 0 ? null : headers.ToDictionary(h => h.Name, h => (IOpenApiHeader)h.Header),
    };

    /// <summary>A JSON request body.</summary>
    public static OpenApiRequestBody Body(IOpenApiSchema schema, bool required = true, string? description = null) => new()
    {
        Required = required,
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { [Json] = new() { Schema = schema } },
    };

    /// <summary>The <c>ETag</c> response header.</summary>
    public static (string, OpenApiHeader) ETag() => ("ETag", new OpenApiHeader
    {
        Description = "The record's current entity tag: send it in If-Match to update or delete exactly this version, or in If-None-Match to revalidate.",
        Required = true,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    });

    /// <summary>The <c>Location</c> response header of a create.</summary>
    public static (string, OpenApiHeader) Location() => ("Location", new OpenApiHeader
    {
        Description = "The path of the new record.",
        Required = true,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference" },
    });

    /// <summary>The <c>Retry-After</c> header of 429 (always) and 503 (when known).</summary>
    public static (string, OpenApiHeader) RetryAfter(bool required) => ("Retry-After", new OpenApiHeader
    {
        Description = "Seconds to wait before retrying.",
        Required = required,
        Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" },
    });

    /// <summary>The <c>X-Cache</c> header of cached GETs.</summary>
    public static (string, OpenApiHeader) XCache() => ("X-Cache", new OpenApiHeader
    {
        Description = "Whether the response came from the response cache (HIT), was stored in it (MISS), or bypassed it.",
        Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("HIT"), JsonValue.Create("MISS"), JsonValue.Create("BYPASS")] },
    });

    /// <summary>A request header parameter.</summary>
    public static OpenApiParameter RequestHeader(string name, string description) => new()
    {
        Name = name,
        In = ParameterLocation.Header,
        Required = false,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };

    /// <summary>The <c>{id}</c> path parameter.</summary>
    public static OpenApiParameter IdParameter(string description) => new()
    {
        Name = "id",
        In = ParameterLocation.Path,
        Required = true,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };
}
