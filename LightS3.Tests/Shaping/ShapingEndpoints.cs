using System.Net.Http.Headers;
using System.Text;
using LightS3.Auth;
using LightS3.Documents;
using LightS3.Endpoints;
using LightS3.Model;
using LightS3.Tests.Support;

namespace LightS3.Tests.Shaping;

/// <summary>A nested object of <see cref="ShapedBook"/>.</summary>
public sealed class BookAuthor
{
    [Field(MinLength = 1)] public string Name { get; set; } = "";
    public string? Email { get; set; }
}

/// <summary>A book with a nested author, a list, a unique field, filters, ordering and response caching.</summary>
[Cache(Ttl = 60)]
[Filtering(Fields = ["genre", "pages"], Ordering = ["pages", "title"])]
[Pagination(PaginationStyle.Cursor, PageSize = 2)]
public class ShapedBook : RestEndpoint<ShapedBook>
{
    [Field(MinLength = 1)] public string Title { get; set; } = "";
    [Field(Unique = true)] public string? Isbn { get; set; }
    public string Genre { get; set; } = "";
    [Field(Ge = 1)] public int Pages { get; set; } = 1;
    public BookAuthor Author { get; set; } = new();
    public List<string> Tags { get; set; } = [];
}

/// <summary>A serializer that hides <c>secret</c> from reads.</summary>
[Serializer(Read = ["id", "title", "version"])]
public class SerializedDocument : RestEndpoint<SerializedDocument>
{
    public string Title { get; set; } = "";
    public string Secret { get; set; } = "";
}

/// <summary>Object-level permission: each caller sees and changes only their own notes (owner stamped from the token).</summary>
[Authentication(Permission = typeof(IsOwner))]
[Filtering(Fields = ["text"])]
public class OwnedNote : RestEndpoint<OwnedNote>
{
    public string Owner { get; set; } = "";
    [Field(MinLength = 1)] public string Text { get; set; } = "";

    public override Task<Record> CreateAsync(System.Text.Json.Nodes.JsonObject input)
    {
        input["owner"] = Context.User.Identity!.Name;
        return base.CreateAsync(input);
    }
}

/// <summary>Starts apps with the shaping endpoints and sends NDJSON and authenticated requests.</summary>
public static class Shaped
{
    public static Task<TestApp> StartAsync(TestStore store, Action<LightS3Options>? configure = null) =>
        TestApp.StartAsync(store, a =>
        {
            a.Register<ShapedBook>("/books");
            a.Register<SerializedDocument>("/documents");
            a.Register<OwnedNote>("/notes");
        }, o =>
        {
            o.Jwt.Secret = Tokens.Secret;
            o.Jwt.Issuer = Tokens.Issuer;
            o.Jwt.Audience = Tokens.Audience;
            configure?.Invoke(o);
        });

    public static object Book(string title, string genre, int pages, string author, string? isbn = null, params string[] tags) =>
        new { title, genre, pages, isbn, author = new { name = author, email = $"{author.ToLowerInvariant()}@example.org" }, tags };

    /// <summary>POSTs <paramref name="lines"/> as an NDJSON body to <c>{route}/_bulk</c>.</summary>
    public static Task<HttpResponseMessage> BulkAsync(TestApp app, string route, IEnumerable<string> lines, string? token = null, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{route}/_bulk")
        {
            Content = new StringContent(string.Join("\n", lines) + "\n", Encoding.UTF8, "application/x-ndjson"),
        };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return app.Client.SendAsync(request);
    }

    /// <summary>The NDJSON lines of a response, parsed.</summary>
    public static async Task<List<System.Text.Json.Nodes.JsonObject>> LinesAsync(HttpResponseMessage response) =>
        (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!.AsObject()).ToList();

    public static Task<HttpResponseMessage> SendAsync(TestApp app, HttpMethod method, string path, string? token, object? body = null, Action<HttpRequestMessage>? adjust = null) =>
        app.SendAsync(method, path, body, r =>
        {
            if (token is not null) r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            adjust?.Invoke(r);
        });
}
