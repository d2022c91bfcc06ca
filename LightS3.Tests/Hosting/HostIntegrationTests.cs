using System.Net;
using LightS3.Documents;
using LightS3.Endpoints;
using LightS3.Hosting;
using LightS3.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Tests.Hosting;

/// <summary>A service a host app registers, injected into an endpoint's constructor.</summary>
public sealed class GreetingService
{
    public int Calls;
    public string Greet(string name) => $"hello {name}";
}

/// <summary>An endpoint whose handler is built by DI.</summary>
public class GreetedEndpoint(GreetingService greetings) : RestEndpoint<GreetedEndpoint>
{
    public GreetedEndpoint() : this(null!) { } // for the model reader and typed access; requests use the DI constructor

    public string Name { get; set; } = "";
    public string? Greeting { get; set; }

    public override Task<Record> CreateAsync(System.Text.Json.Nodes.JsonObject input)
    {
        Interlocked.Increment(ref greetings.Calls);
        input["greeting"] = greetings.Greet(input["name"]!.GetValue<string>());
        return base.CreateAsync(input);
    }
}

/// <summary>LightS3 endpoints are real ASP.NET Core endpoints: one per verb, named, with the host's conventions applied.</summary>
public sealed class HostIntegrationTests
{
    [Test]
    public async Task Each_verb_and_route_is_its_own_named_endpoint_with_response_metadata()
    {
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<BookEndpoint>("/books").Register<ReadOnlyEndpoint>("/readonly"));
        var endpoints = app.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IEndpointNameMetadata>() is not null).ToList();
        string[] Methods(RouteEndpoint e) => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.ToArray();
        var books = endpoints.Where(e => e.RoutePattern.RawText!.StartsWith("/books")).ToDictionary(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName);

        Assert.That(books.Keys, Is.EquivalentTo(new[] { "books_list", "books_create", "books_retrieve", "books_update", "books_partial_update", "books_delete", "books_bulk", "books_export" }));
        Assert.That(books.Values.Select(e => Methods(e).Length), Has.All.EqualTo(1), "one verb per endpoint");
        Assert.That(Methods(books["books_partial_update"]), Is.EqualTo(new[] { "PATCH" }));
        Assert.That(books["books_retrieve"].RoutePattern.RawText, Is.EqualTo("/books/{id}"));
        Assert.That(books["books_create"].Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>().Select(p => p.StatusCode), Does.Contain(201).And.Contain(422).And.Contain(409));
        Assert.That(books["books_list"].Metadata.GetMetadata<ITagsMetadata>()!.Tags, Is.EqualTo(new[] { "books" }));
        Assert.That(endpoints.Where(e => e.RoutePattern.RawText!.StartsWith("/readonly")).Select(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName),
            Is.EquivalentTo(new[] { "readonly_list", "readonly_retrieve", "readonly_export" }), "only the allowed verbs are operations (no _bulk without a write verb)");
    }

    [Test]
    public async Task A_verb_the_endpoint_does_not_allow_is_405_with_allow_and_a_problem_body()
    {
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<ReadOnlyEndpoint>("/readonly"));
        var response = await app.PostAsync("/readonly", new { title = "x" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(response.Content.Headers.Allow, Is.EquivalentTo(new[] { "GET" }));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task Endpoint_classes_get_constructor_injection_from_the_host_container()
    {
        var service = new GreetingService();
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<GreetedEndpoint>("/greeted"),
            configureServices: s => s.AddSingleton(service));
        var created = await app.CreateAsync("/greeted", new { name = "ada" });
        Assert.That(created["greeting"]!.GetValue<string>(), Is.EqualTo("hello ada"));
        Assert.That(service.Calls, Is.EqualTo(1));
    }

    [Test]
    public async Task A_host_authorization_policy_on_the_returned_route_group_applies_to_every_verb()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddLightS3(o =>
        {
            o.Storage = StorageKind.Memory;
            o.Jwt.Secret = Tokens.Secret;
            o.Jwt.Issuer = Tokens.Issuer;
            o.Jwt.Audience = Tokens.Audience;
        });
        // a host policy over LightS3's scheme: only tokens with dept=office
        builder.Services.AddAuthorization(o => o.AddPolicy("from-office", p => p
            .AddAuthenticationSchemes(LightS3.Auth.JwtAuthenticationHandler.SchemeName).RequireClaim("dept", "office")));
        await using var web = builder.Build();
        web.UseLightS3();
        web.UseAuthorization();
        web.MapRestEndpoint("/books", typeof(BookEndpoint)).RequireAuthorization("from-office").WithTags("catalogue");
        await web.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(web.Urls.First()) };

        async Task<HttpStatusCode> Get(string? token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/books");
            if (token is not null) request.Headers.Authorization = new("Bearer", token);
            return (await client.SendAsync(request)).StatusCode;
        }
        Assert.That(await Get(null), Is.EqualTo(HttpStatusCode.Unauthorized), "anonymous: the host's policy challenges");
        Assert.That(await Get(Tokens.Create("01a20172-38f0-72e9-83bc-188ed3a16c94", extra: new Dictionary<string, object> { ["dept"] = "sales" })),
            Is.EqualTo(HttpStatusCode.Forbidden), "authenticated, but the policy says no");
        Assert.That(await Get(Tokens.Create("01a20172-38f0-72e9-83bc-188ed3a16c94", extra: new Dictionary<string, object> { ["dept"] = "office" })),
            Is.EqualTo(HttpStatusCode.OK));
        var tags = web.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .First(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == "books_list").Metadata.GetOrderedMetadata<ITagsMetadata>();
        Assert.That(tags.SelectMany(t => t.Tags), Does.Contain("catalogue"));
        await web.StopAsync();
    }

    [Test]
    public async Task A_lightS3_exception_thrown_by_a_host_route_becomes_the_same_problem_response()
    {
        await using var app = await TestApp.StartAsync(TestStore.Memory, a =>
        {
            a.Register<BookEndpoint>("/books");
            a.Web.MapGet("/host/books/{id}/title", async (string id, EndpointRegistry registry) =>
            {
                var record = await registry.Get("/books").Repository.GetAsync(id) ?? throw new RecordNotFoundException(id);
                return record.Data["title"]!.GetValue<string>();
            });
        });
        var response = await app.Client.GetAsync($"/host/books/{LightS3.Documents.RecordIds.New()}/title");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((await response.JsonAsync())["detail"]!.GetValue<string>(), Is.EqualTo("not found"));
    }

    [Test]
    public async Task A_version_conflict_names_the_version_sent_and_the_current_one()
    {
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<BookEndpoint>("/books"));
        var id = (await app.CreateAsync("/books", new { title = "t", author = "a" }))["id"]!.GetValue<string>();
        Assert.That(await app.SendAsync(HttpMethod.Patch, $"/books/{id}", new { title = "u", version = 1 }).StatusAsync(), Is.EqualTo(200));
        var stale = await (await app.SendAsync(HttpMethod.Patch, $"/books/{id}", new { title = "v", version = 1 })).JsonAsync();
        Assert.That((stale["status"]!.GetValue<int>(), stale["expected_version"]!.GetValue<long>(), stale["current_version"]!.GetValue<long>()), Is.EqualTo((409, 1L, 2L)));
    }
}
