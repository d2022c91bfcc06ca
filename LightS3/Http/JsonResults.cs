using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LightS3.Http;

/// <summary>JSON responses with LightS3's serializer settings (no escaping of non-ASCII text).</summary>
public static class JsonResults
{
    /// <summary>Serializer settings of every LightS3 response.</summary>
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>200 with a JSON body.</summary>
    public static IResult Ok(JsonNode body) => Results.Json(body, Options, statusCode: StatusCodes.Status200OK);

    /// <summary>201 with a JSON body.</summary>
    public static IResult Created(JsonNode body) => Results.Json(body, Options, statusCode: StatusCodes.Status201Created);
}
