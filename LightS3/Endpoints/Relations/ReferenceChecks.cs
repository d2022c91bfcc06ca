using System.Text.Json;
using System.Text.Json.Nodes;
using LightS3.Validation;

namespace LightS3.Endpoints;

/// <summary>
/// On create and update, every reference must name an existing (visible) record of its target: one GET per reference
/// field whose value is new, in parallel; a missing one is a 422 under the field's name.
/// </summary>
internal static class ReferenceChecks
{
    /// <summary>Throws a <see cref="RecordValidationException"/> naming each reference of <paramref name="fields"/> whose record does not exist.</summary>
    public static async Task EnsureTargetsExistAsync(RelationGraph graph, EndpointRuntime source, JsonObject fields, JsonObject? previous, CancellationToken ct)
    {
        var relations = graph.Outgoing(source);
        if (relations.Count == 0) return;
        var checks = new List<(string Field, string Route, string Id, Task<Record?> Read)>();
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
            checks.Add((relation.Field.Name, target.Model.Route, id, read));
        }
        await Task.WhenAll(checks.Select(c => c.Read));
        var errors = checks.Where(c => c.Read.Result is null)
            .ToDictionary(c => c.Field, c => new[] { $"no record '{c.Id}' exists in {c.Route}" }, StringComparer.Ordinal);
        if (errors.Count > 0) throw new RecordValidationException(errors);
    }

    /// <summary>The id held by a reference value (a JSON string), or null.</summary>
    public static string? IdOf(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
