using System.Text.Json.Nodes;
using LightS3.Cli;
using LightS3.Hosting;
using LightS3.Tests.Migrations;
using LightS3.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Tests.Cli;

/// <summary>A C# migration class, applied by <c>lights3 migrate up</c> run inside a C# app (<c>LightS3Cli.RunAsync(args, app)</c>).</summary>
public sealed class UppercaseNames : LightS3.Migrations.Migration
{
    /// <inheritdoc />
    public override string Id => "20260101000000_uppercase_names";

    /// <inheritdoc />
    public override string Route => "/items";

    /// <inheritdoc />
    public override void Up(JsonObject record) => record["name"] = record["name"]?.GetValue<string>().ToUpperInvariant();

    /// <inheritdoc />
    public override void Down(JsonObject record) => record["name"] = record["name"]?.GetValue<string>().ToLowerInvariant();
}

/// <summary>The lights3 commands on a C# app's own endpoints and migrations, with no YAML file.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class MigrateInsideAppTests
{
    private static async Task<(int Exit, string Out, string Err)> RunAsync(LightS3App app, params string[] args)
    {
        var (output, errors) = (new StringWriter(), new StringWriter());
        var exit = await LightS3Cli.RunAsync(args, app, new CliOutput(output, errors, rich: false));
        return (exit, output.ToString(), errors.ToString());
    }

    private static LightS3App App(string location) => LightS3App.Create([], builder =>
        builder.Services.PostConfigure<LightS3Options>(o => TestStores.Apply(o, TestStore.Embedded, location)));

    private static LightS3App WithItems(LightS3App app)
    {
        foreach (var e in MigrationSamples.Read(MigrationSamples.After.Split("migrations:")[0]).Endpoints) app.RegisterModel(e.Model);
        return app;
    }

    [Test]
    public async Task Migrate_status_and_up_run_on_the_apps_registered_endpoints_and_csharp_migrations()
    {
        var location = TestStores.NewLocation(TestStore.Embedded);
        await using (var seed = await TestApp.StartAsync(TestStore.Embedded, app => WithItems(app), location: location))
            await seed.SeedAsync("/items", [new { name = "dune", price = 1m, seq = 1 }]);

        var app = WithItems(App(location));
        app.Migrations.Add(new UppercaseNames());
        var status = await RunAsync(app, "migrate", "status");
        Assert.That(status.Exit, Is.Zero, status.Err);
        Assert.That(status.Out, Does.Match(@"20260101000000_uppercase_names\s+/items\s+pending\s+-\s+-\s+UppercaseNames"));

        app = WithItems(App(location));
        app.Migrations.Add(new UppercaseNames());
        var up = await RunAsync(app, "migrate", "up");
        Assert.That(up.Exit, Is.Zero, up.Err);
        Assert.That(up.Out, Does.Contain("applied 20260101000000_uppercase_names (/items, eager)"));

        await using var check = await TestApp.StartAsync(TestStore.Embedded, a => WithItems(a), location: location);
        var list = (await check.Client.GetAsync("/items").JsonAsync())["results"]!.AsArray();
        Assert.That(list.Single()!["name"]!.GetValue<string>(), Is.EqualTo("DUNE"), "migrated in the store, seen by an app that does not declare it");
    }

    [Test]
    public async Task Migrate_create_inside_an_app_writes_a_csharp_class_and_yaml_only_commands_say_so()
    {
        var dir = TestStores.NewDirectory();
        var created = await RunAsync(WithItems(App(dir)), "migrate", "create", "add stock", "--route", "/items", "--dir", Path.Combine(dir, "Migrations"));
        Assert.That(created.Exit, Is.Zero, created.Err);
        Assert.That(File.ReadAllText(Path.Combine(dir, "Migrations", "AddStock.cs")), Does.Contain("public sealed class AddStock : Migration"));
        var validate = await RunAsync(WithItems(App(dir)), "validate");
        Assert.That(validate.Exit, Is.EqualTo(2));
        Assert.That(validate.Err, Does.Contain("this command reads a YAML file; inside a C# app"));
        TestStores.TryDelete(dir);
    }
}
