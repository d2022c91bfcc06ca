using System.Text.Json;
using System.Text.Json.Nodes;
using LightS3.Model;
using LightS3.Validation;

namespace LightS3.Cli.Transfer;

/// <summary>One record of an import file: its line, and its body or why it could not be read.</summary>
public sealed record ImportItem(int Line, JsonObject? Body, string? Error);

/// <summary>
/// Reads an import file into request bodies. NDJSON lines are JSON objects (blank lines skipped); CSV has a header row of
/// field names and typed cells (converted by the field's type, as YAML defaults are; an empty cell is an absent value).
/// The automatic fields (<c>id</c>, <c>created_at</c>, <c>updated_at</c>, <c>version</c>) and the migration stamp are
/// dropped, and the time fields (<c>created_by</c>, <c>expires_at</c>, …) and file fields are ignored by POST, so an export
/// imports as new records.
/// </summary>
public static class ImportSource
{
    /// <summary>The items of <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="format">Its format.</param>
    /// <param name="model">The endpoint the records are for.</param>
    /// <param name="unescapeFormulas">
    /// Whether CSV cells went through the exports' formula escaping (a leading <c>'</c> added to strings starting with
    /// <c>= + - @</c>, tab, CR or <c>'</c>): one leading <c>'</c> is removed, giving back the stored value.
    /// </param>
    public static IEnumerable<ImportItem> Read(string path, RecordFormat format, EndpointModel model, bool unescapeFormulas = true) =>
        format == RecordFormat.Csv ? ReadCsv(path, model, unescapeFormulas) : ReadNdjson(path);

    private static IEnumerable<ImportItem> ReadNdjson(string path)
    {
        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            JsonNode? node;
            string? error = null;
            try
            {
                node = JsonNode.Parse(text);
            }
            catch (JsonException e)
            {
                node = null;
                error = $"invalid JSON: {e.Message}";
            }
            if (error is null && node is not JsonObject) error = "not a JSON object";
            yield return error is null ? new ImportItem(line, WithoutAutoFields((JsonObject)node!), null) : new ImportItem(line, null, error);
        }
    }

    private static IEnumerable<ImportItem> ReadCsv(string path, EndpointModel model, bool unescapeFormulas)
    {
        using var reader = new StreamReader(path);
        List<string>? header = null;
        foreach (var (line, cells) in Csv.Read(reader))
        {
            if (header is null) { header = cells.Select(c => c.Trim()).ToList(); continue; }
            if (cells.Count == 1 && cells[0].Length == 0) continue;
            if (cells.Count != header.Count) { yield return new ImportItem(line, null, $"{cells.Count} cells, the header has {header.Count}"); continue; }
            var body = new JsonObject();
            var errors = new List<string>();
            for (var i = 0; i < header.Count; i++)
            {
                if (unescapeFormulas) cells[i] = Shaping.CsvColumns.Unescape(cells[i]);
                if (cells[i].Length == 0 || AutoFields.All.Contains(header[i])) continue;
                // a dotted column (address.city, as exports write nested objects) fills that member of the nested object
                var field = model.Field(header[i]) ?? (model.Resolve(header[i]) is { MultiValued: false, PathSegments: not null } nested ? nested : null);
                if (field is null) { body[header[i]] = cells[i]; continue; }
                if (field.Kind == FieldKind.File) continue; // read-only: POST ignores it, and the export holds no bytes
                if (TryCell(field, cells[i], out var value, out var error)) Place(body, field.PathSegments ?? [field.Name], value);
                else errors.Add($"{header[i]}: '{cells[i]}' {error}");
            }
            yield return errors.Count == 0 ? new ImportItem(line, body, null) : new ImportItem(line, null, string.Join("; ", errors));
        }
    }

    /// <summary>A scalar cell as the field's type; a list, map, json or object cell as the JSON text exports write.</summary>
    private static bool TryCell(FieldModel field, string cell, out JsonNode? value, out string? error)
    {
        if (!field.IsComposite) return FieldValues.TryParse(field, cell, out value, out error);
        (value, error) = (null, null);
        try
        {
            value = JsonNode.Parse(cell);
            return true;
        }
        catch (JsonException)
        {
            error = "is not JSON text (a list, map or json cell holds JSON)";
            return false;
        }
    }

    /// <summary>Sets <paramref name="value"/> at <paramref name="path"/> in <paramref name="body"/>, creating the objects on the way.</summary>
    private static void Place(JsonObject body, IReadOnlyList<string> path, JsonNode? value)
    {
        var target = body;
        foreach (var segment in path.Take(path.Count - 1))
        {
            if (target[segment] is not JsonObject inner) target[segment] = inner = new JsonObject();
            target = inner;
        }
        target[path[^1]] = value;
    }

    private static JsonObject WithoutAutoFields(JsonObject body)
    {
        foreach (var name in AutoFields.All) body.Remove(name);
        body.Remove(Documents.SchemaStamp.Field);
        return body;
    }
}
