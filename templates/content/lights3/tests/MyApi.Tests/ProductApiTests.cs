using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LightS3.Testing;

namespace MyApi.Tests;

/// <summary>
/// Runs the app of Program.cs in memory (LightS3.Testing: TestServer, a fresh in-memory store per test) and drives it
/// over HTTP. Tests are independent, so NUnit may run them in parallel.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class ProductApiTests
{
    [Test]
    public async Task A_created_product_reads_back_with_its_id_and_version()
    {
        await using var app = new LightS3AppFactory<Program>();
        using var client = app.CreateClient();
        var created = await client.PostAsJsonAsync("/products", new { name = "Lamp", sku = "LMP-0001", price = 19.99 });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var read = await client.GetFromJsonAsync<JsonElement>($"/products/{id}");
        Assert.That(read.GetProperty("name").GetString(), Is.EqualTo("Lamp"));
        Assert.That(read.GetProperty("version").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task An_invalid_product_is_rejected_with_the_field_errors()
    {
        await using var app = new LightS3AppFactory<Program>();
        using var client = app.CreateClient();
        var response = await client.PostAsJsonAsync("/products", new { name = "", sku = "lamp" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.That(errors.TryGetProperty("sku", out _), Is.True, errors.ToString());
    }

    [Test]
    public async Task Only_signed_in_users_may_list_when_the_default_permission_says_so()
    {
        await using var app = new LightS3AppFactory<Program> { Configure = o => o.DefaultPermission = "IsAuthenticated" };
        using var anonymous = app.CreateClient();
        using var alice = app.CreateClient("alice");
        Assert.That((await anonymous.GetAsync("/products")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await alice.GetAsync("/products")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
