namespace LightS3.Tests.Cli;

/// <summary>The command line itself: help, usage errors, where the configuration comes from.</summary>
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
    public async Task Storage_store_subcommand_group_exists_but_has_no_commands_yet()
    {
        using var ws = CliWorkspace.Create("");
        var run = await ws.RunAsync("store");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Errors, Does.Contain("no store commands"));
    }
}
