using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace LightS3.Cli.Commands;

/// <summary>
/// <c>lights3 migrate create NAME [--route ROUTE] [--csharp] [--dir DIR]</c>: a new migration with the id
/// <c>yyyyMMddHHmmss_name</c> (UTC, so ids sort in creation order). On the YAML host it appends a stub to the file's
/// <c>migrations:</c> list (or prints it when that list is not the file's last section); with <c>--csharp</c>, or inside a
/// C# app, it writes <c>Migrations/&lt;Name&gt;.cs</c>.
/// </summary>
public static partial class MigrateCreateCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliGlobals globals)
    {
        var name = new Argument<string>("name") { Description = "what the migration does, e.g. rename_title" };
        var route = new Option<string?>("--route") { Description = "the endpoint whose records it changes (default: the first one)" };
        var csharp = new Option<bool>("--csharp") { Description = "write a C# Migration class instead of a YAML stub" };
        var dir = new Option<string?>("--dir") { Description = "where the C# file goes (default: ./Migrations)" };
        var command = new Command("create", "start a new migration: a YAML stub in the config file, or a C# class") { name, route, csharp, dir };
        command.SetAction((parse, ct) =>
        {
            var slug = Slug(parse.GetValue(name)!);
            var id = $"{DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}_{slug}";
            if (parse.GetValue(csharp) || !globals.Host.ServesYaml)
            {
                var folder = parse.GetValue(dir) ?? "Migrations";
                Directory.CreateDirectory(folder);
                var className = string.Concat(slug.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
                if (className.Length == 0 || !char.IsLetter(className[0])) className = "Migration" + className;
                var path = Path.Combine(folder, className + ".cs");
                if (File.Exists(path)) throw new CliException($"{path} exists already; choose another name");
                File.WriteAllText(path, CSharp(id, className, parse.GetValue(route) ?? "/your-route"));
                globals.Output.Success($"created {path} (migration {id}); register it with app.Migrations.Add(new {className}()) unless it is in the app's entry assembly");
                return Task.FromResult(ExitCodes.Ok);
            }
            var config = globals.ConfigPath(parse);
            var routes = globals.Host.Read(config).Endpoints.Select(e => e.Model.Route).ToList();
            var target = parse.GetValue(route) ?? routes.FirstOrDefault() ?? "/";
            if (!routes.Contains(Model.EndpointModelValidator.NormalizeRoute(target) ?? target, StringComparer.OrdinalIgnoreCase))
                throw new CliException($"no endpoint at '{target}' (known: {string.Join(", ", routes)})");
            var original = File.ReadAllText(config);
            if (Append(original, id, target) is { } updated)
            {
                File.WriteAllText(config, updated);
                try
                {
                    globals.Host.Read(config);
                }
                catch (Model.ConfigurationException)
                {
                    File.WriteAllText(config, original);
                    return Task.FromResult(Printed(globals, id, target, config));
                }
                globals.Output.Success($"added migration {id} to {config}: edit its step, then run 'lights3 migrate up'");
                return Task.FromResult(ExitCodes.Ok);
            }
            return Task.FromResult(Printed(globals, id, target, config));
        });
        return command;
    }

    private static int Printed(CliGlobals globals, string id, string route, string config)
    {
        globals.Output.Line("migrations:");
        globals.Output.Line(Stub(id, route, "  ").TrimEnd());
        globals.Output.Note($"{config}: its 'migrations:' list is not the last section, so the stub above was not added: paste it under 'migrations:'");
        return ExitCodes.Ok;
    }

    /// <summary>The file with the stub appended, or null when the <c>migrations:</c> list is not the file's last top-level key.</summary>
    public static string? Append(string yaml, string id, string route)
    {
        var lines = yaml.Replace("\r\n", "\n").TrimEnd('\n').Split('\n');
        var at = Array.FindIndex(lines, l => MigrationsKey().IsMatch(l));
        if (at < 0) return string.Join('\n', lines) + "\n\nmigrations:\n" + Stub(id, route, "  ");
        if (lines.Skip(at + 1).Any(l => TopLevelKey().IsMatch(l))) return null;
        var indent = lines.Skip(at + 1).Select(l => ListItem().Match(l)).FirstOrDefault(m => m.Success)?.Groups[1].Value ?? "  ";
        var head = string.Join('\n', lines);
        if (lines[at].Contains("[]", StringComparison.Ordinal)) head = head.Replace(lines[at], "migrations:", StringComparison.Ordinal);
        return head + "\n" + Stub(id, route, indent);
    }

    private static string Stub(string id, string route, string indent)
    {
        var b = new StringBuilder();
        b.Append(indent).Append("- id: ").Append(id).Append('\n');
        b.Append(indent).Append("  route: ").Append(route).Append('\n');
        b.Append(indent).Append("  # one step (or 'steps:' with several): add_field { name, default } | remove_field NAME | rename_field { from, to }\n");
        b.Append(indent).Append("  #   | change_type { field, to, from } | transform { field, expression }  (docs/migrations.md); edit, then 'lights3 migrate up'\n");
        b.Append(indent).Append("  rename_field: { from: old_name, to: new_name }\n");
        return b.ToString();
    }

    private static string CSharp(string id, string className, string route) => $$"""
        using System.Text.Json.Nodes;
        using LightS3.Migrations;

        /// <summary>Migration {{id}} (docs/migrations.md): applied by 'migrate up', reverted by 'migrate down'.</summary>
        public sealed class {{className}} : Migration
        {
            /// <inheritdoc />
            public override string Id => "{{id}}";

            /// <inheritdoc />
            public override string Route => "{{route}}";

            /// <inheritdoc />
            public override void Up(JsonObject record)
            {
                // e.g. Rename(record, "title", "name");
            }

            /// <inheritdoc />
            public override void Down(JsonObject record)
            {
                // e.g. Rename(record, "name", "title");
            }
        }

        """;

    private static string Slug(string name)
    {
        var slug = NonWord().Replace(name.Trim().ToLowerInvariant(), "_").Trim('_');
        return slug.Length == 0 ? throw new CliException($"'{name}' is not a usable migration name (letters, digits, '_')") : slug;
    }

    [GeneratedRegex("^migrations:\\s*(\\[\\s*\\])?\\s*(#.*)?$")]
    private static partial Regex MigrationsKey();

    [GeneratedRegex("^[A-Za-z_][\\w-]*\\s*:")]
    private static partial Regex TopLevelKey();

    [GeneratedRegex("^(\\s*)- ")]
    private static partial Regex ListItem();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonWord();
}
