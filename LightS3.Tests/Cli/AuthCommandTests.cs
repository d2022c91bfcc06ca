using LightS3.Auth.Module;
using LightS3.Hosting;
using LightS3.Yaml;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using LightS3.Tests.Support;

namespace LightS3.Tests.Cli;

/// <summary><c>lights3 users ...</c> and <c>lights3 token</c>.</summary>
[Category(External.Category)]
[Parallelizable(ParallelScope.All)]
public sealed class AuthCommandTests
{
    private static CliWorkspace Workspace()
    {
        var ws = CliWorkspace.Create("");
        ws.Write("lightapi.yaml", ws.FileStorage + CliSamples.Endpoints);
        return ws;
    }

    private static async Task<bool?> IsAdminAsync(CliWorkspace ws, string username)
    {
        await using var app = LightS3App.FromConfig(Path.Combine(ws.Directory, "lightapi.yaml"), ["--LIGHTS3_JWT_SECRET", CliWorkspace.Secret]);
        var user = await app.Services.GetRequiredService<AuthService>().FindByUsernameAsync(username, CancellationToken.None);
        return user?["is_admin"]?.GetValue<bool>();
    }

    [Test]
    public async Task Create_admin_makes_a_user_with_admin_rights_and_refuses_a_second_time()
    {
        using var ws = Workspace();
        var run = await ws.RunWithInputAsync("Correct-Horse-Battery-9\n", "users", "create-admin", "Root", "--email", "root@example.com", "--password-stdin");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Output, Does.Contain("created admin 'root'"));
        Assert.That(await IsAdminAsync(ws, "root"), Is.True);

        var again = await ws.RunWithInputAsync("Correct-Horse-Battery-9\n", "users", "create-admin", "root", "--email", "other@example.com", "--password-stdin");
        Assert.That(again.ExitCode, Is.EqualTo(1), again.ToString());
        Assert.That(again.Errors, Does.Contain("already exists"));
    }

    [Test]
    public async Task Create_admin_without_a_password_or_with_a_weak_one_is_refused_with_exit_2()
    {
        using var ws = Workspace();
        var none = await ws.RunAsync("users", "create-admin", "root", "--email", "root@example.com");
        Assert.That(none.ExitCode, Is.EqualTo(2), none.ToString());
        Assert.That(none.Errors, Does.Contain("--password-stdin").And.Contain("LIGHTS3_ADMIN_PASSWORD"));
        ws.Env["LIGHTS3_ADMIN_PASSWORD"] = "short";
        var weak = await ws.RunAsync("users", "create-admin", "root", "--email", "root@example.com");
        Assert.That(weak.ExitCode, Is.EqualTo(2), weak.ToString());
        Assert.That(weak.Errors, Does.StartWith("password:"));
        Assert.That(await IsAdminAsync(ws, "root"), Is.Null, "no user was created");
    }

    [Test]
    public async Task Set_admin_off_and_on_changes_the_stored_right_and_an_unknown_user_is_exit_1()
    {
        using var ws = Workspace();
        ws.Env["LIGHTS3_ADMIN_PASSWORD"] = "Correct-Horse-Battery-9";
        Assert.That((await ws.RunAsync("users", "create-admin", "ops", "--email", "ops@example.com")).ExitCode, Is.Zero);
        var off = await ws.RunAsync("users", "set-admin", "ops", "--off");
        Assert.That(off.ExitCode, Is.Zero, off.ToString());
        Assert.That(await IsAdminAsync(ws, "ops"), Is.False);
        Assert.That((await ws.RunAsync("users", "set-admin", "ops")).ExitCode, Is.Zero);
        Assert.That(await IsAdminAsync(ws, "ops"), Is.True);
        var revoke = await ws.RunAsync("users", "revoke", "ops");
        Assert.That(revoke.ExitCode, Is.Zero, revoke.ToString());
        var unknown = await ws.RunAsync("users", "revoke", "ghost");
        Assert.That(unknown.ExitCode, Is.EqualTo(1), unknown.ToString());
        Assert.That(unknown.Errors.Trim(), Is.EqualTo("no user 'ghost'"));
    }

    [Test]
    public async Task Token_is_signed_with_the_configured_key_and_carries_the_subject_admin_and_claims()
    {
        using var ws = Workspace();
        ws.Env["LIGHTS3_JWT_ISSUER"] = "https://issuer.example";
        var run = await ws.RunAsync("token", "alice", "--admin", "--claim", "tenant=acme", "--claim", "level=3", "--expires", "5m");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var token = run.Output.Trim();
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, LightS3.Auth.JwtKeys.Parameters(new JwtOptions { Secret = CliWorkspace.Secret, Issuer = "https://issuer.example" }));
        Assert.That(result.IsValid, Is.True, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.That((jwt.Subject, jwt.GetClaim("is_admin").Value, jwt.GetClaim("tenant").Value, jwt.GetClaim("level").Value), Is.EqualTo(("alice", "true", "acme", "3")));
        Assert.That(jwt.ValidTo - jwt.IssuedAt, Is.EqualTo(TimeSpan.FromMinutes(5)));
        var wrongKey = await new JsonWebTokenHandler().ValidateTokenAsync(token, LightS3.Auth.JwtKeys.Parameters(new JwtOptions { Secret = CliWorkspace.Secret + "x" }));
        Assert.That(wrongKey.IsValid, Is.False);
    }

    [Test]
    public async Task Token_without_a_key_is_refused_with_exit_2()
    {
        using var ws = CliWorkspace.Create("storage: { url: \"memory:\" }\nendpoints:\n  - route: /a\n    fields: { a: { type: str } }\n");
        ws.Env["LIGHTS3_JWT_SECRET"] = null;
        var run = await ws.RunAsync("token", "alice");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Errors.Trim(), Is.EqualTo("no signing key: set LIGHTS3_JWT_SECRET (HS256, at least 32 bytes)"));
        Assert.That(run.Output, Is.Empty);
    }
}
