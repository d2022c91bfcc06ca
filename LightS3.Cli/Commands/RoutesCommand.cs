using System.CommandLine;
using LightS3.Endpoints;
using LightS3.Hosting;
using LightS3.Model;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Cli.Commands;

/// <summary><c>lights3 routes</c>: one row per endpoint — route, verbs, who may call each, indexed and unique fields, collection.</summary>
public static class RoutesCommand
{
    private static readonly HttpVerbs[] Verbs = [HttpVerbs.Get, HttpVerbs.Post, HttpVerbs.Put, HttpVerbs.Patch, HttpVerbs.Delete];

    /// <summary>Creates the command.</summary>
    public static Command Create(CliGlobals globals)
    {
        var command = new Command("routes", "list the endpoints: verbs, authentication, indexes, unique fields");
        command.SetAction(async (parse, ct) =>
        {
            await using var app = globals.Host.Build(globals.ConfigPath(parse));
            var endpoints = app.Services.GetRequiredService<EndpointRegistry>().Endpoints.OrderBy(e => e.Model.Route, StringComparer.Ordinal);
            globals.Output.Table(["ROUTE", "METHODS", "AUTH", "INDEXES", "UNIQUE", "COLLECTION"],
                endpoints.Select(e => (IReadOnlyList<string>)[e.Model.Route, Methods(e.Model), Auth(e.Model), Names(e.Model.IndexedFields), Names(e.Model.UniqueFields), e.Model.Collection]));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The enabled verbs, e.g. <c>GET POST PUT PATCH DELETE</c>.</summary>
    public static string Methods(EndpointModel model) => string.Join(" ", HttpVerbNames.Of(model.Methods));

    /// <summary>The permission of each enabled verb, grouped: <c>AllowAny</c>, or <c>GET=AllowAny POST,PUT=IsAuthenticated</c>.</summary>
    public static string Auth(EndpointModel model)
    {
        var spec = model.Authentication ?? AuthSpec.Open;
        var groups = Verbs.Where(v => model.Methods.HasFlag(v)).GroupBy(v => spec.For(v).Permission).ToList();
        return groups.Count switch
        {
            0 => "-",
            1 => groups[0].Key,
            _ => string.Join(" ", groups.Select(g => $"{string.Join(",", g.Select(v => HttpVerbNames.Of(v).Single()))}={g.Key}")),
        };
    }

    private static string Names(IEnumerable<FieldModel> fields) => fields.Any() ? string.Join(",", fields.Select(f => f.Name)) : "-";
}
