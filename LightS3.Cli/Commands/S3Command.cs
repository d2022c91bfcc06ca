using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace LightS3.Cli.Commands;

/// <summary>
/// <c>lights3 s3 serve [ASP.NET Core arguments]</c>: a dedicated S3 server (docs/s3-api.md) over the store the environment
/// configures — the embedded store in <c>LIGHTS3_DATA_DIR</c> by default — accepting the key pair
/// <c>LIGHTS3_S3_API_ACCESS_KEY</c> / <c>LIGHTS3_S3_API_SECRET_KEY</c>. Arguments go to ASP.NET Core unchanged (<c>--urls</c>).
/// </summary>
public static class S3Command
{
    /// <summary>Creates the command; <paramref name="rawArgs"/> is the whole command line.</summary>
    public static Command Create(CliGlobals globals, string[] rawArgs)
    {
        var serve = new Command("serve", "serve the S3 API over the configured store (embedded store in $LIGHTS3_DATA_DIR by default)")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        serve.Arguments.Add(new Argument<string[]>("host-args")
        {
            Description = "ASP.NET Core arguments such as --urls http://127.0.0.1:9000",
            Arity = ArgumentArity.ZeroOrMore,
        });
        serve.SetAction(async (_, ct) =>
        {
            var builder = WebApplication.CreateBuilder(HostArgs(rawArgs));
            CliHost.Quiet(builder);
            builder.Services.AddLightS3();
            await using var app = builder.Build();
            app.MapS3Api();
            await app.StartAsync(ct);
            await app.WaitForShutdownAsync(ct);
            return ExitCodes.Ok;
        });
        var command = new Command("s3", "the S3-compatible API (docs/s3-api.md)");
        command.Subcommands.Add(serve);
        return command;
    }

    /// <summary>Everything after <c>s3 serve</c>, except <c>--config</c>.</summary>
    public static string[] HostArgs(string[] rawArgs)
    {
        var at = Array.IndexOf(rawArgs, "serve");
        return at < 0 ? [] : rawArgs[(at + 1)..];
    }
}
