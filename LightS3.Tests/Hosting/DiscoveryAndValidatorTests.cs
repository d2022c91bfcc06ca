using System.Net;
using FluentValidation;
using LightS3.Endpoints;
using LightS3.Hosting;
using LightS3.Tests.Support;

namespace LightS3.Tests.Hosting;

/// <summary>Found by scanning: served at its attribute route, with the validator below.</summary>
[RestRoute("/discovered-products")]
public class DiscoveredProduct : RestEndpoint<DiscoveredProduct>
{
    [Field(MinLength = 1)] public string Name { get; set; } = "";
    [Field(Ge = 0)] public decimal Price { get; set; }
    [Field(Ge = 0)] public decimal? SalePrice { get; set; }
}

/// <summary>A cross-field rule the attribute model cannot express.</summary>
public sealed class DiscoveredProductValidator : AbstractValidator<DiscoveredProduct>
{
    public DiscoveredProductValidator()
    {
        RuleFor(p => p.SalePrice).LessThanOrEqualTo(p => p.Price).When(p => p.SalePrice is not null)
            .WithMessage("must not exceed the price");
        RuleFor(p => p.Name).NotEqual("forbidden").WithMessage("is reserved");
    }
}

/// <summary>Assembly scanning finds endpoint classes and FluentValidation validators; validators join the 422 errors.</summary>
public sealed class DiscoveryAndValidatorTests
{
    private static Task<TestApp> StartAsync() =>
        TestApp.StartAsync(TestStore.Memory, _ => { }, configureServices: s => s.AddLightS3EndpointsFrom(typeof(DiscoveredProduct).Assembly));

    [Test]
    public async Task A_scanned_endpoint_class_is_served_at_its_attribute_route()
    {
        await using var app = await StartAsync();
        var created = await app.CreateAsync("/discovered-products", new { name = "lamp", price = 10, sale_price = 8 });
        Assert.That(created["sale_price"]!.GetValue<decimal>(), Is.EqualTo(8m));
        Assert.That(await app.Client.GetAsync($"/discovered-products/{created["id"]}").StatusAsync(), Is.EqualTo(200));
    }

    [Test]
    public async Task A_scanned_validator_adds_cross_field_errors_to_the_same_422_in_snake_case()
    {
        await using var app = await StartAsync();
        var response = await app.PostAsync("/discovered-products", new { name = "forbidden", price = 10, sale_price = 12 });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        var errors = (await response.JsonAsync())["errors"]!.AsObject();
        Assert.That(errors["sale_price"]![0]!.GetValue<string>(), Is.EqualTo("must not exceed the price"));
        Assert.That(errors["name"]![0]!.GetValue<string>(), Is.EqualTo("is reserved"));
        Assert.That((await (await app.Client.GetAsync("/discovered-products")).JsonAsync())["results"]!.AsArray(), Is.Empty, "nothing stored");
    }

    [Test]
    public async Task A_validator_sees_the_merged_record_on_patch()
    {
        await using var app = await StartAsync();
        var id = (await app.CreateAsync("/discovered-products", new { name = "lamp", price = 10 }))["id"]!.GetValue<string>();
        var tooHigh = await app.SendAsync(HttpMethod.Patch, $"/discovered-products/{id}", new { sale_price = 11, version = 1 });
        Assert.That(tooHigh.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), "11 exceeds the stored price of 10");
        Assert.That(await app.SendAsync(HttpMethod.Patch, $"/discovered-products/{id}", new { sale_price = 9, version = 1 }).StatusAsync(), Is.EqualTo(200));
        Assert.That(await app.SendAsync(HttpMethod.Patch, $"/discovered-products/{id}", new { price = 5, version = 2 }).StatusAsync(), Is.EqualTo(422),
            "lowering the price under the stored sale price breaks the rule too");
    }

    [Test]
    public async Task Without_scanning_the_class_is_not_served_and_its_validator_does_not_run()
    {
        await using var app = await TestApp.StartAsync(TestStore.Memory, a => a.Register<DiscoveredProduct>("/manual"));
        Assert.That(await app.Client.GetAsync("/discovered-products").StatusAsync(), Is.EqualTo(404));
        Assert.That(await app.PostAsync("/manual", new { name = "forbidden", price = 1, sale_price = 2 }).StatusAsync(), Is.EqualTo(201));
    }
}
