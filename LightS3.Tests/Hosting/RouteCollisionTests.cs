using LightS3.Hosting;
using LightS3.Model;
using LightS3.Tests.Support;
using LightS3.Yaml;
using LightS3.Yaml.Config;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LightS3.Tests.Hosting;

/// <summary>
/// An endpoint owns its route and every path below it: another route there — LightS3's own, another endpoint's or the
/// host's — fails start-up with both routes named, where it used to shadow records or answer 500 (AmbiguousMatchException).
/// </summary>
public sealed class RouteCollisionTests
{
    private static LightS3App Create(Action<LightS3Options>? configure = null) => LightS3App.Create([], b =>
    {
        b.WebHost.UseUrls("http://127.0.0.1:0");
        b.Logging.ClearProviders();
        b.Services.PostConfigure<LightS3Options>(o =>
        {
            TestStores.Apply(o, TestStore.Memory, TestStores.NewLocation(TestStore.Memory));
            configure?.Invoke(o);
        });
    });

    private static async Task<string> StartupErrorAsync(LightS3App app)
    {
        await using (app)
        {
            var e = Assert.CatchAsync(() => app.StartAsync());
            var error = ConfigurationErrors.Find(e);
            Assert.That(error, Is.InstanceOf<ConfigurationException>(), e?.ToString());
            return error!.Message;
        }
    }

    private static LightS3App Yaml(string yaml) => YamlApp.Build(YamlConfigReader.Read(yaml, "api.yaml", _ => null), [], b =>
    {
        b.WebHost.UseUrls("http://127.0.0.1:0");
        b.Logging.ClearProviders();
    });

    [Test]
    public async Task A_yaml_collection_at_docs_collides_with_the_api_reference_and_starts_once_the_reference_moves()
    {
        const string endpoints = """
            endpoints:
              - route: /docs
                fields:
                  title: { type: str }
            """;
        var message = await StartupErrorAsync(Yaml("storage: { url: \"memory:\" }\n" + endpoints));
        Assert.That(message, Does.Contain("route '/docs' collides with '/docs/scalar.js' (LightS3's API reference; LightS3:OpenApi:DocsPath moves it)"));
        Assert.That(message, Does.Contain("'/docs/{documentName?}' (LightS3's API reference; LightS3:OpenApi:DocsPath moves it)"), "the route GET /docs/{id} was ambiguous with");
        Assert.That(message, Does.Contain("api.yaml"), "names the endpoint's source");

        // the same endpoint with the reference moved: every /docs/{id} answers, and so does the reference
        await using var app = Yaml("storage: { url: \"memory:\" }\nopenapi: { docs: /reference }\n" + endpoints);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls[0]) };
        var created = await client.PostAsync("/docs", new StringContent("{\"title\":\"t\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.That((int)created.StatusCode, Is.EqualTo(201), await created.Content.ReadAsStringAsync());
        var id = (await created.JsonAsync())["id"]!.GetValue<string>();
        Assert.That(await client.GetAsync($"/docs/{id}").StatusAsync(), Is.EqualTo(200));
        Assert.That(await client.GetAsync("/reference").StatusAsync(), Is.EqualTo(200));
    }

    [Test]
    public async Task A_class_endpoint_at_admin_collides_with_the_admin_ui()
    {
        var app = Create(o => o.Admin = true);
        app.Register<BookEndpoint>("/admin");
        var message = await StartupErrorAsync(app);
        Assert.That(message, Does.Contain("class BookEndpoint: route '/admin' collides with '/admin' (LightS3's admin UI; LightS3:Admin=false turns it off)"));
        Assert.That(message, Does.Contain("'/admin/{file}'"));
    }

    [TestCase("/healthz", "'/healthz' (LightS3's health check)")]
    [TestCase("/openapi", "'/openapi/v1.json' (LightS3's OpenAPI document; LightS3:OpenApi:Path moves it)")]
    [TestCase("/_lights3", "'/_lights3/webhooks/dead-letters' (LightS3's internal routes)")]
    public async Task Other_routes_of_lights3_collide_too(string route, string named)
    {
        var app = Create();
        app.Register<BookEndpoint>(route);
        Assert.That(await StartupErrorAsync(app), Does.Contain($"route '{route}' collides with").And.Contain(named));
    }

    [Test]
    public void Two_endpoints_on_one_route_are_refused_naming_both()
    {
        using var _ = new AsyncDisposer(Create(), out var app);
        app.Register<BookEndpoint>("/books");
        var e = Assert.Throws<ConfigurationException>(() => app.Register<ReadOnlyEndpoint>("/books"));
        Assert.That(e!.Message, Is.EqualTo("class ReadOnlyEndpoint: route '/books' is already served by class BookEndpoint"));
    }

    [Test]
    public async Task An_endpoint_below_another_endpoints_route_collides_naming_both()
    {
        var app = Create();
        app.Register<BookEndpoint>("/books");
        app.Register<ReadOnlyEndpoint>("/books/archive");
        var message = await StartupErrorAsync(app);
        Assert.That(message, Does.Contain("class BookEndpoint: route '/books' collides with '/books/archive' (served by class ReadOnlyEndpoint)"));
    }

    [Test]
    public async Task A_host_route_inside_an_endpoints_space_collides_but_one_on_its_group_or_a_fallback_does_not()
    {
        var app = Create();
        app.Register<BookEndpoint>("/books");
        app.Web.MapGet("/books/stats", () => "host");
        var message = await StartupErrorAsync(app);
        Assert.That(message, Does.Contain("route '/books' collides with '/books/stats' (mapped by the host: HTTP: GET /books/stats)"));

        // the way to extend an endpoint: its own route group; a fallback ranks below every literal route
        await using var ok = Create();
        ok.Web.MapRestEndpoint("/books", typeof(BookEndpoint)).MapGet("/stats", () => "host");
        ok.Web.MapFallback(() => Results.Text("fallback"));
        ok.Web.MapGet("/{slug}/about", (string slug) => slug);
        await ok.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(ok.Urls[0]) };
        Assert.That(await client.GetStringAsync("/books/stats"), Is.EqualTo("host"));
        Assert.That(await client.GetAsync("/books").StatusAsync(), Is.EqualTo(200));
        Assert.That(await client.GetStringAsync("/elsewhere"), Is.EqualTo("fallback"));
    }

    /// <summary>Disposes an app that never started, for a synchronous test.</summary>
    private sealed class AsyncDisposer : IDisposable
    {
        private readonly LightS3App _app;

        public AsyncDisposer(LightS3App app, out LightS3App value) => _app = value = app;

        public void Dispose() => _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
