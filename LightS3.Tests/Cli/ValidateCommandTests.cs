using LightS3.Tests.Support;
namespace LightS3.Tests.Cli;

/// <summary><c>lights3 validate</c>: what serve would refuse, each problem once, at its line.</summary>
[Category(External.Category)]
[Parallelizable(ParallelScope.All)]
public sealed class ValidateCommandTests
{
    [Test]
    public async Task A_valid_file_is_ok_with_its_routes_and_exit_0()
    {
        using var ws = CliWorkspace.Create("");
        ws.Write("lightapi.yaml", ws.FileStorage + CliSamples.Endpoints);
        var run = await ws.RunAsync("validate");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Output, Does.Contain("lightapi.yaml: ok — 2 endpoint(s): /orders, /tags"));
    }

    [Test]
    public async Task Authentication_without_a_jwt_key_is_refused_once_at_the_first_authenticating_endpoint()
    {
        using var ws = CliWorkspace.Create("");
        ws.Write("lightapi.yaml", ws.FileStorage + CliSamples.Endpoints + """
              - route: /secrets
                fields: { a: { type: str } }
                meta: { authentication: { backend: JWTAuthentication } }

            """);
        ws.Env["LIGHTS3_JWT_SECRET"] = null;
        var run = await ws.RunAsync("validate");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        var lines = run.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), run.ToString());
        Assert.That(lines[0], Does.StartWith("lightapi.yaml: endpoints[0].meta.authentication (and 1 more endpoint(s)): JWT authentication is used but no key is configured"));
    }

    [Test]
    public async Task Reflect_on_an_empty_prefix_is_refused_as_serve_refuses_it()
    {
        using var ws = CliWorkspace.Create("");
        ws.Write("lightapi.yaml", ws.FileStorage + "endpoints:\n  - route: /legacy\n    reflect: true\n");
        var run = await ws.RunAsync("validate");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Errors, Does.Contain("reflect: no JSON objects named {id}.json under 'legacy/"));
    }

    [Test]
    public async Task An_unknown_type_is_one_problem_without_a_cascade_and_every_line_is_printed_once()
    {
        using var ws = CliWorkspace.Create("endpoints:\n  - route: /x\n    fields:\n      a: { type: money, ge: 0 }\n      b: { type: enum }\n");
        var run = await ws.RunAsync("validate", "lightapi.yaml");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        var lines = run.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(2), run.ToString());
        Assert.That(lines[0], Does.StartWith("lightapi.yaml: endpoints[0].fields.a.type: unknown type 'money'").And.EndWith("(line 4, column 18)"));
        Assert.That(lines[1], Is.EqualTo("lightapi.yaml: endpoints[0].fields.b.type: enum field 'b' has no values (line 5, column 12)"));
    }
}
