using System.CommandLine;
using LightS3.Hosting;
using LightS3.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LightS3.Cli.Commands;

/// <summary>
/// <c>lights3 validate [FILE]</c>: everything <c>serve</c> would refuse, without serving. First the file itself (every
/// problem at once, each with its YAML path and line); when it reads cleanly, the app is built as <c>serve</c> builds
/// it, which adds what only the environment can tell: a JWT key for endpoints that authenticate, options, and the
/// fields of <c>reflect</c> endpoints (read from the store). Exit 0 when serve would start, 2 otherwise.
/// </summary>
public static class ValidateCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliGlobals globals)
    {
        var file = new Argument<string?>("file") { Description = "the YAML file (else --config, $LIGHTS3_CONFIG, ./lightapi.yaml)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("validate", "check the YAML file and the environment: every problem serve would refuse to start on, each once") { file };
        command.SetAction(async (parse, ct) =>
        {
            var path = globals.ConfigPath(parse, parse.GetValue(file));
            var config = globals.Host.Read(path);
            try
            {
                await using var app = globals.Host.Build(path);
                _ = app.Services.GetRequiredService<IOptions<LightS3Options>>().Value;
                await CheckStoredSchemaAsync(globals, app, config, path, ct);
            }
            catch (ConfigurationException e) when (e.Problems.Any(IsMissingJwtKey))
            {
                // one problem however many endpoints authenticate, placed at the first of them
                var users = config.Endpoints.Where(x => x.Model.Authentication?.RequiresAuthentication == true).ToList();
                var where = users.Count == 0 ? "" : $"{users[0].Path}.meta.authentication{(users.Count > 1 ? $" (and {users.Count - 1} more endpoint(s))" : "")}: ";
                throw new ConfigurationException(e.Problems.Select(p => IsMissingJwtKey(p) ? $"{Path.GetFileName(path)}: {where}{p}" : p).ToList());
            }
            globals.Output.Success($"{path}: ok — {config.Endpoints.Count} endpoint(s): {string.Join(", ", config.Endpoints.Select(e => e.Model.Route))}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Refuses a model whose stored data needs a migration that is not declared (docs/migrations.md).</summary>
    private static async Task CheckStoredSchemaAsync(CliGlobals globals, LightS3App app, Yaml.Config.YamlConfig config, string path, CancellationToken ct)
    {
        IReadOnlyList<Migrations.SchemaProblem> problems;
        try
        {
            problems = await MigrateCommand.CheckSnapshotsAsync(app, ct);
        }
        catch (Storage.StorageUnavailableException e)
        {
            globals.Output.Note($"stored data not checked against the model: storage is unavailable ({e.Message})");
            return;
        }
        if (problems.Count == 0) return;
        throw new ConfigurationException(problems.Select(p =>
            config.Endpoints.FirstOrDefault(e => string.Equals(e.Model.Route, p.Route, StringComparison.OrdinalIgnoreCase)) is { } e
                ? $"{Path.GetFileName(path)}: {e.Path}.fields.{p.Field}: {p.Message}"
                : $"{Path.GetFileName(path)}: {p.Route}: {p.Message}").ToList());
    }

    private static bool IsMissingJwtKey(string problem) => problem.StartsWith("JWT authentication is used but no key", StringComparison.Ordinal);
}
