using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MyApi.Tests;

/// <summary>Starts the app of Program.cs in memory (in-memory store) and drives it over HTTP.</summary>
public class ProductApiTests
{
    private WebApplicationFactory<Program> _factory = null!;
    private HttpClient _client = null!;

    [SetUp]
    public void StartApp()
    {
        _factory = new WebApplicationFactory<Program>()
            .WithWebHostBuilder(web => web.UseSetting("LIGHTS3_STORAGE", "memory"));
        _client = _factory.CreateClient();
    }

    [TearDown]
    public async Task StopApp()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    [Test]
    public async Task A_created_product_reads_back_with_its_id_and_version()
    {
        var created = await _client.PostAsJsonAsync("/products", new { name = "Lamp", sku = "LMP-0001", price = 19.99 });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var read = await _client.GetFromJsonAsync<JsonElement>($"/products/{id}");
        Assert.That(read.GetProperty("name").GetString(), Is.EqualTo("Lamp"));
        Assert.That(read.GetProperty("version").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task An_invalid_product_is_rejected_with_the_field_errors()
    {
        var response = await _client.PostAsJsonAsync("/products", new { name = "", sku = "lamp" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.That(errors.TryGetProperty("sku", out _), Is.True, errors.ToString());
    }
}
