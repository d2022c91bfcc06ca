using System.CommandLine;
using System.Text.Json.Nodes;
using LightS3.Auth.Module;
using LightS3.Documents;
using LightS3.Hosting;
using LightS3.Validation;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Cli.Commands;

/// <summary>
/// <c>lights3 users create-admin|set-admin|revoke</c>: the auth module's users (docs/auth.md), in the same store and through
/// the same <see cref="AuthService"/> as <c>/auth</c>. Needs the key the module signs with (<c>LIGHTS3_JWT_SECRET</c>).
/// </summary>
public static class UsersCommand
{
    /// <summary>The variable <c>create-admin</c> reads the password from when <c>--password-stdin</c> is not given.</summary>
    public const string PasswordVariable = "LIGHTS3_ADMIN_PASSWORD";

    /// <summary>Creates the command.</summary>
    public static Command Create(CliGlobals globals)
    {
        var command = new Command("users", "manage the auth module's users: create the first admin, grant or withdraw admin, revoke sessions");
        command.Subcommands.Add(CreateAdmin(globals));
        command.Subcommands.Add(SetAdmin(globals));
        command.Subcommands.Add(Revoke(globals));
        return command;
    }

    private static Command CreateAdmin(CliGlobals globals)
    {
        var username = new Argument<string>("username") { Description = "the new admin's username (lowercase letters, digits, '_', '.', '-')" };
        var email = new Option<string>("--email") { Description = "the admin's email address", Required = true };
        var stdin = new Option<bool>("--password-stdin") { Description = $"read the password from standard input (else ${PasswordVariable}, else a prompt on a terminal)" };
        var command = new Command("create-admin", "create a user with admin rights (the first admin of a new deployment)") { username, email, stdin };
        command.SetAction(async (parse, ct) =>
        {
            var password = Password(globals, parse.GetValue(stdin));
            await using var app = globals.Host.Build(globals.ConfigPath(parse));
            var auth = app.Services.GetRequiredService<AuthService>();
            var name = parse.GetValue(username)!;
            if (await auth.FindByUsernameAsync(name, ct) is not null)
                throw new CliException($"user '{name}' already exists; grant admin rights with: lights3 users set-admin {name}", ExitCodes.Failure);
            Record user;
            try
            {
                user = await auth.RegisterAsync(name, parse.GetValue(email)!, password, ct);
            }
            catch (RecordValidationException e)
            {
                throw new CliException(string.Join("; ", e.Errors.Select(kv => $"{kv.Key}: {string.Join(" ", kv.Value)}")));
            }
            catch (UniqueConflictException e)
            {
                throw new CliException(e.Message, ExitCodes.Failure);
            }
            await auth.SetAdminAsync(user.Id, true, ct);
            globals.Output.Success($"created admin '{user.Data["username"]}' (id {user.Id})");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command SetAdmin(CliGlobals globals)
    {
        var username = new Argument<string>("username") { Description = "the user" };
        var off = new Option<bool>("--off") { Description = "withdraw admin rights instead of granting them" };
        var command = new Command("set-admin", "grant (or with --off withdraw) admin rights; live tokens follow at their next request") { username, off };
        command.SetAction(async (parse, ct) =>
        {
            var (auth, app, user) = await FindAsync(globals, parse, username, ct);
            await using (app)
            {
                var admin = !parse.GetValue(off);
                await auth.SetAdminAsync(user["id"]!.GetValue<string>(), admin, ct);
                globals.Output.Success($"'{user["username"]}' is {(admin ? "now" : "no longer")} an admin");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Revoke(CliGlobals globals)
    {
        var username = new Argument<string>("username") { Description = "the user" };
        var command = new Command("revoke", "end every session of a user: refresh tokens stop working, access tokens at their next request") { username };
        command.SetAction(async (parse, ct) =>
        {
            var (auth, app, user) = await FindAsync(globals, parse, username, ct);
            await using (app)
            {
                await auth.RevokeAllSessionsAsync(user["id"]!.GetValue<string>(), ct);
                globals.Output.Success($"revoked every session of '{user["username"]}'");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<(AuthService, LightS3App, JsonObject)> FindAsync(CliGlobals globals, ParseResult parse, Argument<string> username, CancellationToken ct)
    {
        var app = globals.Host.Build(globals.ConfigPath(parse));
        try
        {
            var auth = app.Services.GetRequiredService<AuthService>();
            var name = parse.GetValue(username)!;
            var user = await auth.FindByUsernameAsync(name, ct) ?? throw new CliException($"no user '{name}'", ExitCodes.Failure);
            return (auth, app, user);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    private static string Password(CliGlobals globals, bool fromStdin)
    {
        if (fromStdin) return Console.In.ReadLine()?.TrimEnd('\r', '\n') is { Length: > 0 } p ? p : throw new CliException("no password on standard input");
        if (Environment.GetEnvironmentVariable(PasswordVariable) is { Length: > 0 } env) return env;
        if (globals.Output.Rich && !Console.IsInputRedirected)
            return Spectre.Console.AnsiConsole.Prompt(Spectre.Console.TextPromptExtensions.Secret(new Spectre.Console.TextPrompt<string>("Password:")));
        throw new CliException($"no password: pass --password-stdin or set {PasswordVariable}");
    }
}
