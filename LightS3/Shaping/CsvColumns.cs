using System.Text;
using System.Text.Json;
using LightS3.Model;
using LightS3.Query;

namespace LightS3.Shaping;

/// <summary>
/// The columns of a CSV export, fixed from the model before the first row (so rows stream): the read serializer's
/// fields (or id, the declared fields, created_at, updated_at, version and the time fields), narrowed by a
/// <see cref="FieldSelection"/>. A nested object becomes one dotted column per field (<c>address.city</c>), recursively;
/// lists, maps and free-form json are one column holding their JSON text. Cells: strings as they are, numbers and
/// booleans as JSON writes them, null or absent as empty; quoted as RFC 4180 asks. With formula escaping (the default),
/// a string starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or CR — or with <c>'</c> itself — gets a <c>'</c>
/// prefix (OWASP's CSV injection advice), so a spreadsheet shows it as text; the extra <c>'</c> on a leading quote keeps
/// the escaping reversible: <see cref="Unescape"/> removes exactly one.
/// </summary>
internal sealed class CsvColumns
{
    /// <summary>The query parameter (<c>_export?escape_formulas=false</c>) and option name that turn formula escaping off.</summary>
    public const string EscapeFormulasParameter = "escape_formulas";

    private readonly List<string[]> _paths = [];
    private readonly List<bool> _jsonText = []; // a list, map or json column: its cell is JSON text, whatever the value
    private readonly bool _escapeFormulas;

    private CsvColumns(bool escapeFormulas) => _escapeFormulas = escapeFormulas;

    /// <summary>The column names (dotted paths).</summary>
    public IEnumerable<string> Names => _paths.Select(p => string.Join(FieldPaths.Separator, p));

    /// <summary>The columns of <paramref name="model"/>'s export under <paramref name="selection"/>.</summary>
    public static CsvColumns For(EndpointModel model, FieldSelection? selection, bool escapeFormulas = true) =>
        Of(model, model.Serializer.Read ?? StoredNames(model), selection, escapeFormulas);

    /// <summary>
    /// The columns of a record as stored, whatever the read serializer shows: what <c>lights3 export --format csv</c>
    /// writes, the same columns (and cells) as the endpoint's export of a model without a read serializer.
    /// </summary>
    public static CsvColumns Stored(EndpointModel model, bool escapeFormulas = true) => Of(model, StoredNames(model), null, escapeFormulas);

    private static IEnumerable<string> StoredNames(EndpointModel model) =>
        [AutoFields.Id, .. model.Fields.Select(f => f.Name), AutoFields.CreatedAt, AutoFields.UpdatedAt, AutoFields.Version, .. TimeFields.Of(model.Time)];

    private static CsvColumns Of(EndpointModel model, IEnumerable<string> top, FieldSelection? selection, bool escapeFormulas)
    {
        var columns = new CsvColumns(escapeFormulas);
        foreach (var name in top.Distinct())
        {
            FieldSelection? inner = null;
            if (selection is not null && !selection.Members.TryGetValue(name, out inner)) continue;
            columns.Add([name], model.Field(name), inner);
        }
        return columns;
    }

    private void Add(string[] path, FieldModel? field, FieldSelection? selection)
    {
        if (field is { Kind: FieldKind.Object })
        {
            foreach (var f in field.Fields)
            {
                FieldSelection? inner = null;
                if (selection is not null && !selection.Members.TryGetValue(f.Name, out inner)) continue;
                Add([.. path, f.Name], f, inner);
            }
            return;
        }
        if (selection is not null && field is { Kind: FieldKind.Map or FieldKind.Json })
        {
            foreach (var (key, inner) in selection.Members) Add([.. path, key], field.Kind == FieldKind.Map ? field.Element : null, inner);
            return;
        }
        _paths.Add(path);
        _jsonText.Add(field is { Kind: FieldKind.List or FieldKind.Map or FieldKind.Json });
    }

    /// <summary>The header line (without its line break).</summary>
    public string Header() => string.Join(",", Names.Select(Escape));

    /// <summary>Appends the row of one record (a UTF-8 JSON object as the export renders it) and a CRLF.</summary>
    public void AppendRow(StringBuilder row, ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json);
        for (var c = 0; c < _paths.Count; c++)
        {
            if (c > 0) row.Append(',');
            var element = document.RootElement;
            var found = true;
            foreach (var segment in _paths[c])
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(segment, out element))
                {
                    found = false;
                    break;
                }
            if (!found) continue;
            row.Append(Escape(element.ValueKind switch
            {
                JsonValueKind.Null or JsonValueKind.Undefined => "",
                _ when _jsonText[c] => element.GetRawText(), // a json field holding a string is "text", quoted, so it reads back
                JsonValueKind.String => _escapeFormulas ? EscapeFormula(element.GetString()!) : element.GetString()!,
                _ => element.GetRawText(),
            }));
        }
        row.Append("\r\n");
    }

    /// <summary>A string a spreadsheet would run as a formula (or one starting with the escape itself), prefixed with <c>'</c>.</summary>
    public static string EscapeFormula(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\'' ? "'" + value : value;

    /// <summary>The cell <see cref="EscapeFormula"/> wrote, as it was: one leading <c>'</c> removed.</summary>
    public static string Unescape(string cell) => cell.StartsWith('\'') ? cell[1..] : cell;

    /// <summary>A CSV field: quoted (with doubled quotes) when it holds a comma, quote, line break or edge space.</summary>
    public static string Escape(string value) =>
        value.Length > 0 && (value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || value[0] == ' ' || value[^1] == ' ')
            ? "\"" + value.Replace("\"", "\"\"") + "\""
            : value;
}
