using System.Text.Json;
using System.Text.Json.Nodes;
using LightS3.Validation;
using Microsoft.AspNetCore.Http;

namespace LightS3.Endpoints;

/// <summary>
/// On create and update, every reference must name a record of its target that the caller could read (docs/auth.md, "Who
/// sees what"): one GET per reference field whose value is new, in parallel; a missing one — or one the caller may not
/// see — is the same 422 under the field's name, so a reference tells nothing about records the caller cannot read.
/// </summary>
internal static class ReferenceChecks
{
    /// <summary>
    /// Throws a <see cref="RecordValidationException"/> naming each reference of <paramref name="fields"/> whose record does
    /// not exist, or (with a <paramref name="caller"/>) is not visible to that caller.
    /// </summary>
    public static async Task EnsureTargetsExistAsync(RelationGraph graph, EndpointRuntime source, JsonObject fields, JsonObject? previous,
        HttpContext? caller, CancellationToken ct)
    {
        var relations = graph.Outgoing(source);
        if (relations.Count == 0) return;
        var checks = new List<(string Field, EndpointRuntime Target, string Id, Task<Record?> Read)>();
        foreach (var relation in relations)
        {
            if (IdOf(fields[relation.Field.Name]) is not { } id) continue;
            if (previous is not null && IdOf(previous[relation.Field.Name]) == id) continue; // unchanged: no request
            var target = relation.Target;
            Task<Record?> read = Task.FromResult<Record?>(null);
            if (Documents.RecordIds.TryNormalize(target.Model, id, out var normalized))
            {
                if (normalized != id) fields[relation.Field.Name] = normalized; // stored as the target spells its ids, so the index finds it
                read = target.Repository.GetAsync(normalized, ct);
            }
            checks.Add((relation.Field.Name, target, id, read));
        }
        await Task.WhenAll(checks.Select(c => c.Read));
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var c in checks)
            if (c.Read.Result is not { } record || caller is not null && !await SeenAsync(c.Target, caller, record))
                errors[c.Field] = [$"no record '{c.Id}' exists in {c.Target.Model.Route}"];
        if (errors.Count > 0) throw new RecordValidationException(errors);
    }

    private static Task<bool> SeenAsync(EndpointRuntime target, HttpContext caller, Record record) =>
        RecordVisibility.AsReaderOfAsync(target, caller, async v => v is not null && await v.SeesAsync(record));

    /// <summary>The id held by a reference value (a JSON string), or null.</summary>
    public static string? IdOf(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
