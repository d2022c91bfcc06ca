using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LightS3.Endpoints;
using LightS3.Hosting;
using LightS3.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LightS3.Tests.Support;

/// <summary>
/// A LightS3 app over a chosen store, with a client: in memory (ASP.NET Core's TestServer) unless the test needs a real
/// socket (<c>socket: true</c>: a browser, another process, the AWS SDK or raw TCP talks to it), then on Kestrel at
/// 127.0.0.1 on a random port.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    private readonly bool _ownsLocation;

    private TestApp(LightS3App app, HttpClient client, string location, TestStore store, bool ownsLocation)
    {
        _ownsLocation = ownsLocation;
        App = app;
        Client = client;
        Location = location;
        Store = store;
    }

    public LightS3App App { get; }
    public HttpClient Client { get; }
    public string Location { get; }
    public TestStore Store { get; }
    public RequestCounter Counter => App.Services.GetRequiredService<RequestCounter>();
    public IObjectStore ObjectStore => App.Services.GetRequiredService<IObjectStore>();

    /// <summary>Starts an app; <paramref name="location"/> lets two apps share one directory or prefix.</summary>
    public static async Task<TestApp> StartAsync(TestStore store, Action<LightS3App> register,
        Action<LightS3Options>? configure = null, string? location = null, Func<IObjectStore, IObjectStore>? wrapStore = null,
        Action<IServiceCollection>? configureServices = null, bool socket = false)
    {
        var owns = location is null;
        location ??= TestStores.NewLocation(store);
        var app = LightS3App.Create([], builder =>
        {
            if (socket) builder.WebHost.UseUrls("http://127.0.0.1:0");
            else builder.WebHost.UseTestServer();
            builder.Logging.ClearProviders();
            builder.Services.PostConfigure<LightS3Options>(o =>
            {
                TestStores.Apply(o, store, location);
                configure?.Invoke(o);
            });
            configureServices?.Invoke(builder.Services);
            if (wrapStore is not null)
                builder.Services.AddSingleton<IObjectStore>(sp => wrapStore(StoreFactory.Create(
                    sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<LightS3Options>>().Value, sp.GetRequiredService<RequestCounter>())));
        });
        register(app);
        await app.StartAsync();
        return new TestApp(app, NewClient(app, socket), location, store, owns);
    }

    // 60 s: a hang guard for a loaded machine, not a latency bound
    private static HttpClient NewClient(LightS3App app, bool socket)
    {
        if (socket) return new HttpClient { BaseAddress = new Uri(app.Urls[0]), Timeout = TimeSpan.FromSeconds(60) };
        var server = app.Web.GetTestServer();
        var handler = new FollowRedirects(server.BaseAddress) { InnerHandler = server.CreateHandler() };
        return new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>POSTs JSON and returns the response.</summary>
    public Task<HttpResponseMessage> PostAsync(string path, object body) => Client.PostAsJsonAsync(path, body);

    /// <summary>Creates a record and returns its JSON, failing the test on anything but 201.</summary>
    public async Task<JsonObject> CreateAsync(string path, object body)
    {
        var response = await PostAsync(path, body);
        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>The runtime of the endpoint at <paramref name="route"/>.</summary>
    public LightS3.Endpoints.EndpointRuntime Endpoint(string route) => App.Services.GetRequiredService<EndpointRegistry>().Get(route);

    /// <summary>Seeds records straight through the repository (validated like a POST), <paramref name="parallelism"/> at a time.</summary>
    public async Task<List<string>> SeedAsync(string route, IEnumerable<object> bodies, int parallelism = 16)
    {
        var runtime = Endpoint(route);
        var list = bodies.ToList();
        var ids = new string[list.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, list.Count), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, ct) =>
        {
            var json = System.Text.Json.JsonSerializer.SerializeToNode(list[i], new System.Text.Json.JsonSerializerOptions { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower })!.AsObject();
            var bound = runtime.Binder.Bind(json, LightS3.Validation.BindMode.Create);
            ids[i] = (await runtime.Repository.InsertAsync(bound.Fields, ct)).Id;
        });
        return ids.ToList();
    }

    /// <summary>Sends a request with a JSON body.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null, Action<HttpRequestMessage>? adjust = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body);
        adjust?.Invoke(request);
        return Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        if (TestStores.UsesDirectory(Store) && _ownsLocation) TestStores.TryDelete(Location);
    }
}

/// <summary>Reads problem and JSON bodies in assertions.</summary>
public static class ResponseExtensions
{
    public static async Task<JsonObject> JsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject ?? throw new AssertionException("body is not a JSON object");

    public static async Task<int> StatusAsync(this Task<HttpResponseMessage> response) => (int)(await response).StatusCode;

    public static async Task<JsonObject> JsonAsync(this Task<HttpResponseMessage> response) => await (await response).JsonAsync();
}
