using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LightS3.Endpoints;
using LightS3.Hosting;
using LightS3.Model;
using LightS3.Tests.Support;
using LightS3.Yaml;
using LightS3.Yaml.Config;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LightS3.Tests.Yaml;

[Filtering(Fields = ["author", "in_stock", "price", "genre"], Search = ["title"], Ordering = ["price", "title"])]
[Pagination(PaginationStyle.PageNumber, PageSize = 2)]
[AllowedMethods(HttpVerbs.Get | HttpVerbs.Post | HttpVerbs.Patch | HttpVerbs.Delete)]
[Serializer(Read = ["id", "title", "author", "price", "in_stock", "genre", "version"])]
public class RoundTripBook : RestEndpoint<RoundTripBook>
{
    [Field(MinLength = 1, MaxLength = 50)] public string Title { get; set; } = "";
    [Field(MinLength = 1)] public string Author { get; set; } = "";
    [Field(Ge = 0, DecimalPlaces = 2)] public decimal Price { get; set; }
    [Field(Default = true)] public bool InStock { get; set; }
    [Field(Pattern = @"^\d{13}$", Unique = true)] public string? Isbn { get; set; }
    [Field(Index = true, Default = Genre.Fiction)] public Genre Genre { get; set; }
}

/// <summary>The same API declared in C# and in YAML answers every request identically.</summary>
public sealed class YamlRoundTripTests
{
    private const string Yaml = """
        storage: { url: "memory:" }
        endpoints:
          - route: /books
            fields:
              title:    { type: str, min_length: 1, max_length: 50 }
              author:   { type: str, min_length: 1 }
              price:    { type: decimal, ge: 0, decimal_places: 2 }
              in_stock: { type: bool, default: true }
              isbn:     { type: str, pattern: "^\\d{13}$", unique: true, optional: true }
              genre:    { type: enum, values: [Fiction, Science, History], index: true, default: Fiction }
            meta:
              methods: [GET, POST, PATCH, DELETE]
              filtering:
                fields:   [author, in_stock, price, genre]
                search:   [title]
                ordering: [price, title]
              pagination: { style: page_number, page_size: 2 }
              serializer:
                read: [id, title, author, price, in_stock, genre, version]
        """;

    private static readonly (string Method, string Path, string? Body)[] Script =
    [
        ("POST", "/books", """{"title":"Dune","author":"Herbert","price":"9.90","isbn":"9780441172719","genre":"science"}"""),
        ("POST", "/books", """{"title":"Emma","author":"Austen","price":5}"""),
        ("POST", "/books", """{"title":"Ulysses","author":"Joyce","price":12.5,"in_stock":false,"genre":"History"}"""),
        ("POST", "/books", """{"title":"","price":-1,"isbn":"x","genre":"poetry","extra":1}"""),
        ("POST", "/books", """{"title":"Copy","author":"X","price":1,"isbn":"9780441172719"}"""),
        ("POST", "/books", """{"title":"""),
        ("GET", "/books", null),
        ("GET", "/books?page=2", null),
        ("GET", "/books?ordering=-price&page_size=10", null),
        ("GET", "/books?search=u&in_stock=true", null),
        ("GET", "/books?price__gte=6&ordering=title", null),
        ("GET", "/books?genre=Science", null),
        ("GET", "/books?genre__in=Fiction,History&ordering=title", null),
        ("GET", "/books?price=cheap", null),
        ("GET", "/books?page=0", null),
        ("GET", "/books?isbn=1", null),
        ("PATCH", "/books/{0}", """{"price":8,"version":1}"""),
        ("PATCH", "/books/{0}", """{"price":7,"version":1}"""),
        ("PATCH", "/books/{0}", """{"title":""}"""),
        ("PUT", "/books/{0}", """{"title":"x","author":"y","price":1,"version":2}"""),
        ("GET", "/books/{0}", null),
        ("DELETE", "/books/{1}", null),
        ("GET", "/books/{1}", null),
        ("GET", "/books/not-an-id", null),
        ("GET", "/books", null),
    ];

    private static async Task<List<string>> Run(LightS3App app)
    {
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls[0]) };
        var ids = new List<string>();
        var transcript = new List<string>();
        foreach (var (method, pathTemplate, body) in Script)
        {
            var path = Regex.Replace(pathTemplate, @"\{(\d)\}", m => ids[int.Parse(m.Groups[1].Value)]);
            var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body is not null) request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (method == "POST" && (int)response.StatusCode == 201) ids.Add(JsonNode.Parse(text)!["id"]!.GetValue<string>());
            transcript.Add($"{method} {pathTemplate} -> {(int)response.StatusCode} {Normalize(text, ids, app.Urls[0])}");
        }
        await app.StopAsync();
        return transcript;
    }

    // ids, timestamps, trace ids and the port differ between the two apps; everything else must not
    private static string Normalize(string text, List<string> ids, string url)
    {
        for (var i = 0; i < ids.Count; i++) text = text.Replace(ids[i], $"<id{i}>");
        text = Regex.Replace(text, "\"(created_at|updated_at)\":\"[^\"]*\"", "\"$1\":\"<time>\"");
        text = Regex.Replace(text, "\"traceId\":\"[^\"]*\"", "\"traceId\":\"<trace>\"");
        return text.Replace(url, "<host>");
    }

    private static void Quiet(Microsoft.AspNetCore.Builder.WebApplicationBuilder b)
    {
        b.WebHost.UseUrls("http://127.0.0.1:0");
        b.Logging.ClearProviders();
    }

    [Test]
    public async Task The_same_api_in_csharp_and_yaml_behaves_identically_over_http()
    {
        await using var csharp = LightS3App.Create([], b =>
        {
            Quiet(b);
            b.Services.PostConfigure<LightS3Options>(o => o.Storage = StorageKind.Memory);
        });
        csharp.Register<RoundTripBook>("/books");
        await using var yaml = YamlApp.Build(YamlConfigReader.Read(Yaml, "api.yaml", _ => null), [], Quiet);

        var fromCode = await Run(csharp);
        var fromYaml = await Run(yaml);
        Assert.That(fromYaml, Is.EqualTo(fromCode));
        Assert.That(fromCode.Select(l => l.Split(" -> ")[1][..3]), Is.EqualTo(new[]
        {
            "201", "201", "201", "422", "409", "400", "200", "200", "200", "200", "200", "200", "200", "400", "400", "400",
            "200", "409", "422", "405", "200", "204", "404", "404", "200",
        }), "the script exercises success and every error class");
    }

    [Test]
    public async Task The_dictionary_form_builds_the_same_model()
    {
        var config = new Dictionary<string, object?>
        {
            ["storage"] = new Dictionary<string, object?> { ["url"] = "memory:" },
            ["endpoints"] = new List<object?>
            {
                new Dictionary<string, object?>
                {
                    ["route"] = "/notes",
                    ["fields"] = new Dictionary<string, object?> { ["text"] = new Dictionary<string, object?> { ["type"] = "str", ["min_length"] = 1 } },
                },
            },
        };
        await using var app = LightS3App.FromConfig(config, [], Quiet);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls[0]) };
        Assert.That(await client.PostAsync("/notes", new StringContent("""{"text":""}""", System.Text.Encoding.UTF8, "application/json")).StatusAsync(), Is.EqualTo(422));
        Assert.That(await client.PostAsync("/notes", new StringContent("""{"text":"hi"}""", System.Text.Encoding.UTF8, "application/json")).StatusAsync(), Is.EqualTo(201));
    }
}
