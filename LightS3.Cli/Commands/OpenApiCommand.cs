using System.CommandLine;
using LightS3.Hosting;
using LightS3.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LightS3.Cli.Commands;

/// <summary>
/// <c>lights3 openapi [-o FILE]</c>: the OpenAPI 3.1 document the running app serves at <c>/openapi/v1.json</c>, generated
/// in-process (the app starts on a loopback port for the moment it takes) and written to a file or to standard output.
/// </summary>
public static class OpenApiCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliGlobals globals)
    {
        var output = new Option<string?>("--output", "-o") { Description = "write the document to this file (default: standard output)" };
        var command = new Command("openapi", "write the OpenAPI document of the YAML file's API") { output };
        command.SetAction(async (parse, ct) =>
        {
            // the endpoints reach the document generator when the app starts: start it on a loopback port nobody uses
            await using var app = globals.Host.Build(globals.ConfigPath(parse), ["--urls", "http://127.0.0.1:0"]);
            if (!app.Services.GetRequiredService<IOptions<LightS3Options>>().Value.OpenApi.Enabled)
                throw new CliException("the OpenAPI document is turned off (openapi: false, or LIGHTS3_OPENAPI=false)");
            await app.StartAsync(ct);
            var json = await app.Services.GetRequiredService<OpenApiDocumentCache>().GetAsync(ct);
            await app.StopAsync(ct);
            if (parse.GetValue(output) is { Length: > 0 } file)
            {
                await File.WriteAllBytesAsync(file, json, ct);
                globals.Output.Note($"wrote {file} ({json.Length} bytes)");
            }
            else
            {
                await using var stdout = Console.OpenStandardOutput();
                await stdout.WriteAsync(json, ct);
                await stdout.WriteAsync("\n"u8.ToArray(), ct);
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
