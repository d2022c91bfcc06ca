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
/// booleans as JSON writes them, null or absent as empty; quoted as RFC 4180 asks.
/// </summary>
internal sealed class CsvColumns
{
    private readonly List<string[]> _paths = [];

    private CsvColumns() { }

    /// <summary>The column names (dotted paths).</summary>
    public IEnumerable<string> Names => _paths.Select(p => string.Join(FieldPaths.Separator, p));

    /// <summary>The columns of <paramref name="model"/>'s export under <paramref name="selection"/>.</summary>
    public static CsvColumns For(EndpointModel model, FieldSelection? selection) => Of(model, model.Serializer.Read ?? StoredNames(model), selection);

    /// <summary>
    /// The columns of a record as stored, whatever the read serializer shows: what <c>lights3 export --format csv</c>
    /// writes, the same columns (and cells) as the endpoint's export of a model without a read serializer.
    /// </summary>
    public static CsvColumns Stored(EndpointModel model) => Of(model, StoredNames(model), null);

    private static IEnumerable<string> StoredNames(EndpointModel model) =>
        [AutoFields.Id, .. model.Fields.Select(f => f.Name), AutoFields.CreatedAt, AutoFields.UpdatedAt, AutoFields.Version, .. TimeFields.Of(model.Time)];

    private static CsvColumns Of(EndpointModel model, IEnumerable<string> top, FieldSelection? selection)
    {
        var columns = new CsvColumns();
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
                JsonValueKind.String => element.GetString()!,
                JsonValueKind.Null or JsonValueKind.Undefined => "",
                _ => element.GetRawText(),
            }));
        }
        row.Append("\r\n");
    }

    /// <summary>A CSV field: quoted (with doubled quotes) when it holds a comma, quote, line break or edge space.</summary>
    public static string Escape(string value) =>
        value.Length > 0 && (value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || value[0] == ' ' || value[^1] == ' ')
            ? "\"" + value.Replace("\"", "\"\"") + "\""
            : value;
}
