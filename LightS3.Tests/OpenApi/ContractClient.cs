using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace LightS3.Tests.OpenApi;

/// <summary>
/// Sends requests and checks each exchange against the OpenAPI document: the operation exists (or the answer is a 405
/// problem), every query parameter sent is declared, the status is declared, the content type and body match the declared
/// schema, and every required header is present. Records which operations answered which statuses.
/// </summary>
public sealed class ContractClient(HttpClient client, JsonObject document)
{
    private readonly SchemaValidator _validator = new(document);

    /// <summary>The (operationId, status) pairs seen.</summary>
    public HashSet<(string OperationId, int Status)> Seen { get; } = [];

    /// <summary>Sends a request to <paramref name="url"/> (whose route template is <paramref name="template"/>) and checks the answer.</summary>
    public async Task<(HttpResponseMessage Response, JsonNode? Body)> SendAsync(HttpMethod method, string url, string template, int expected,
        object? body = null, string? token = null, Action<HttpRequestMessage>? adjust = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is string raw) request.Content = new StringContent(raw, Encoding.UTF8, "application/json");
        else if (body is not null) request.Content = JsonContent.Create(body);
        if (token is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        adjust?.Invoke(request);
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        var where = $"{method} {url} → {status}";
        Assert.That(status, Is.EqualTo(expected), $"{where}: {text}");

        var operation = document["paths"]?[template]?[method.Method.ToLowerInvariant()] as JsonObject;
        if (operation is null)
        {
            Assert.That(status, Is.EqualTo(405), $"{where}: the document has no {method} {template}");
            AssertBody(where, response, text, "application/problem+json", _validator.Component("Problem"));
            return (response, JsonNode.Parse(text));
        }
        var declared = (operation["parameters"] as JsonArray ?? []).Select(p => p!["name"]!.GetValue<string>()).ToHashSet();
        if (status < 400) // a 400 may be the answer to an undeclared parameter
            foreach (var name in System.Web.HttpUtility.ParseQueryString(new Uri(client.BaseAddress!, url).Query).AllKeys)
                Assert.That(declared, Does.Contain(name), $"{where}: query parameter '{name}' is not declared");

        var spec = operation["responses"]![status.ToString(System.Globalization.CultureInfo.InvariantCulture)] as JsonObject;
        Assert.That(spec, Is.Not.Null, $"{where}: status {status} is not declared for {operation["operationId"]}");
        Seen.Add((operation["operationId"]!.GetValue<string>(), status));
        foreach (var (name, header) in spec!["headers"] as JsonObject ?? [])
            if (header!["required"]?.GetValue<bool>() == true)
                Assert.That(response.Headers.Contains(name) || response.Content.Headers.Contains(name), $"{where}: required header {name} is missing");
        if (response.Headers.Contains("X-Cache"))
            Assert.That((spec["headers"] as JsonObject)?.ContainsKey("X-Cache"), Is.True, $"{where}: X-Cache is sent but not declared");
        if (spec["content"] is JsonObject content)
        {
            // several media types (an export's NDJSON or CSV): the one the response chose
            var (mediaType, media) = content.Count == 1 ? content.Single() : content.FirstOrDefault(m => m.Key == response.Content.Headers.ContentType?.MediaType, content.First());
            AssertBody(where, response, text, mediaType, status == 200 && ProjectionOf(operation, url) is { } projection ? projection : media!["schema"]);
            return (response, mediaType is "application/x-ndjson" or "text/csv" ? null : JsonNode.Parse(text));
        }
        Assert.That(text, Is.Empty, $"{where}: a body was sent where none is declared");
        return (response, null);
    }

    /// <summary>
    /// The schema a <c>?fields=</c> response follows, when the request sent <c>fields</c> and the operation's parameter
    /// names one (<c>x-lights3-projection</c>): a projection holds only the selected members, so the record schema's
    /// required list does not apply.
    /// </summary>
    private JsonNode? ProjectionOf(JsonObject operation, string url)
    {
        if (System.Web.HttpUtility.ParseQueryString(new Uri(client.BaseAddress!, url).Query)["fields"] is null) return null;
        var parameter = (operation["parameters"] as JsonArray ?? []).FirstOrDefault(p => p!["name"]?.GetValue<string>() == "fields");
        return parameter?["x-lights3-projection"]?.GetValue<string>() is { } reference ? new JsonObject { ["$ref"] = reference } : null;
    }

    private void AssertBody(string where, HttpResponseMessage response, string text, string mediaType, JsonNode? schema)
    {
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo(mediaType), $"{where}: content type");
        if (mediaType == "text/csv") return;
        if (mediaType == "application/x-ndjson")
        {
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                Assert.That(_validator.Validate(schema, JsonNode.Parse(line)), Is.Empty, $"{where}: a line does not match its declared schema: {line}");
            return;
        }
        var errors = _validator.Validate(schema, JsonNode.Parse(text));
        Assert.That(errors, Is.Empty, $"{where}: the body does not match its declared schema: {text}");
    }
}
