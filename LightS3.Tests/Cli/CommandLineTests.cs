using LightS3.Tests.Support;
namespace LightS3.Tests.Cli;

/// <summary>The command line itself: help, usage errors, where the configuration comes from.</summary>
[Category(External.Category)]
[Parallelizable(ParallelScope.All)]
public sealed class CommandLineTests
{
    [Test]
    public async Task Help_lists_every_command_and_exits_0()
    {
        using var ws = CliWorkspace.Create("");
        var run = await ws.RunAsync("--help");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        foreach (var command in new[] { "serve", "validate", "routes", "openapi", "reindex", "gc", "doctor", "users", "token", "import", "export" })
            Assert.That(run.Output, Does.Contain($"  {command}"), command);
    }

    [Test]
    public async Task An_unknown_command_is_a_usage_error_with_exit_2()
    {
        using var ws = CliWorkspace.Create("");
        var run = await ws.RunAsync("frobnicate");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Errors, Does.Contain("'frobnicate'").And.Contain("lights3 --help"));
    }

    [Test]
    public async Task A_missing_configuration_file_is_exit_2_with_its_name()
    {
        using var ws = CliWorkspace.Create("");
        File.Delete(Path.Combine(ws.Directory, "lightapi.yaml"));
        var run = await ws.RunAsync("routes");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Errors.Trim(), Is.EqualTo("lightapi.yaml: configuration file not found"));
    }

    [Test]
    public async Task The_config_option_wins_over_lights3_config_which_wins_over_the_default_file()
    {
        using var ws = CliWorkspace.Create(ws_yaml("/default"));
        var fromEnv = ws.Write("env.yaml", ws_yaml("/fromenv"));
        var fromOption = ws.Write("option.yaml", ws_yaml("/fromoption"));
        Assert.That((await ws.RunAsync("routes")).Output, Does.Contain("/default"));
        ws.Env["LIGHTS3_CONFIG"] = fromEnv;
        Assert.That((await ws.RunAsync("routes")).Output, Does.Contain("/fromenv"));
        Assert.That((await ws.RunAsync("routes", "--config", fromOption)).Output, Does.Contain("/fromoption"));
        Assert.That((await ws.RunAsync("--config", fromOption, "routes")).Output, Does.Contain("/fromoption"));

        static string ws_yaml(string route) => $"storage: {{ url: \"memory:\" }}\nendpoints:\n  - route: {route}\n    fields:\n      a: {{ type: str }}\n";
    }

    [Test]
    public async Task Store_migrate_moves_a_file_store_directory_into_the_sqlite_store_and_the_data_stays_served()
    {
        using var ws = CliWorkspace.Create("""
            storage: { url: "file:./data" }
            endpoints:
              - route: /notes
                fields:
                  text: { type: str, unique: true }
            """);
        var lines = ws.Write("notes.ndjson", string.Join("\n", Enumerable.Range(1, 12).Select(i => $"{{\"text\":\"note {i}\"}}")) + "\n");
        ws.Env["LIGHTS3_STORAGE"] = "files";
        Assert.That((await ws.RunAsync("import", lines, "--route", "/notes")).ExitCode, Is.Zero);
        Assert.That(File.Exists(Path.Combine(ws.DataDir, "lights3.db")), Is.False, "written by the directory-of-files store");
        ws.Env.Remove("LIGHTS3_STORAGE");

        var migrate = await ws.RunAsync("store", "migrate", ws.DataDir);
        Assert.That(migrate.ExitCode, Is.Zero, migrate.ToString());
        Assert.That(migrate.Output + migrate.Errors, Does.Contain("store migrate: 24 objects imported"), "12 records and their 12 unique markers");
        Assert.That(File.Exists(Path.Combine(ws.DataDir, "lights3.db")), Is.True);

        // the default store now serves the directory: the records and their unique claims came along
        var export = await ws.RunAsync("export", "--route", "/notes");
        Assert.That(export.ExitCode, Is.Zero, export.ToString());
        Assert.That(export.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(12));
        var again = ws.Write("again.ndjson", "{\"text\":\"note 3\"}\n");
        var duplicate = await ws.RunAsync("import", again, "--route", "/notes");
        Assert.That(duplicate.Output, Does.Contain("line 1: 409"), "the unique marker was migrated too");
    }

    [Test]
    public async Task Store_migrate_of_a_directory_without_file_store_data_is_exit_2()
    {
        using var ws = CliWorkspace.Create("");
        var run = await ws.RunAsync("store", "migrate", Path.Combine(ws.Directory, "nothing-here"));
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Errors, Does.Contain("is not a file-store data directory"));
    }
}
