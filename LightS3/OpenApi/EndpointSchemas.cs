using LightS3.Model;
using Microsoft.OpenApi;

namespace LightS3.OpenApi;

/// <summary>
/// The component schemas of one endpoint, built from its model: the record as GET shows it (<c>Book</c>), as writes
/// answer it when the serializer differs (<c>BookWriteResponse</c>), the create, full-update and partial-update bodies
/// (<c>BookCreate</c>, <c>BookUpdate</c>, <c>BookPatch</c>), the list response (<c>BookList</c>), and a record and a list
/// as <c>?fields=</c> projects them (<c>BookProjection</c>, <c>BookProjectionList</c>).
/// </summary>
internal sealed class EndpointSchemas(EndpointModel model, UnknownFieldPolicy unknownFields, string baseName)
{
    private static readonly string[] AutoOrder = [AutoFields.Id];
    private static readonly string[] AutoTail = [AutoFields.CreatedAt, AutoFields.UpdatedAt, AutoFields.Version];

    /// <summary>The component name of the record as GET shows it.</summary>
    public string Read => baseName;

    /// <summary>The component name of the record as POST/PUT/PATCH answer it.</summary>
    public string WriteResponse => SameViews ? baseName : baseName + "WriteResponse";

    /// <summary>The component name of the create body.</summary>
    public string Create => baseName + "Create";

    /// <summary>The component name of the full-update body.</summary>
    public string Update => baseName + "Update";

    /// <summary>The component name of the partial-update body.</summary>
    public string Patch => baseName + "Patch";

    /// <summary>The component name of the list response.</summary>
    public string List => baseName + "List";

    /// <summary>The component name of a record projected by <c>?fields=</c>: the record's members, none required.</summary>
    public string Projection => baseName + "Projection";

    /// <summary>The component name of the list response projected by <c>?fields=</c>.</summary>
    public string ProjectionList => baseName + "ProjectionList";

    private bool SameViews => model.Serializer.Write is null && model.Serializer.Read is null
        || model.Serializer.Write is { } w && model.Serializer.Read is { } r && w.SequenceEqual(r);

    /// <summary>Reflected data (an existing prefix) promises nothing about which properties a record has.</summary>
    private bool OwnRecords => model.RecordsPath is null;

    /// <summary>Every component this endpoint needs, by name.</summary>
    public IEnumerable<(string Name, Func<OpenApiDocument, OpenApiSchema> Build)> All()
    {
        var verbs = model.Methods;
        if (verbs.HasFlag(HttpVerbs.Get))
        {
            yield return (Read, _ => View(model.Serializer.Read));
            yield return (List, document => ListSchema(document, Read));
            yield return (Projection, _ => ProjectionView());
            yield return (ProjectionList, document => ListSchema(document, Projection));
        }
        if (!SameViews && (verbs & (HttpVerbs.Post | HttpVerbs.Put | HttpVerbs.Patch)) != 0) yield return (WriteResponse, _ => View(model.Serializer.Write));
        else if (!verbs.HasFlag(HttpVerbs.Get) && (verbs & (HttpVerbs.Post | HttpVerbs.Put | HttpVerbs.Patch)) != 0) yield return (Read, _ => View(model.Serializer.Read));
        if (verbs.HasFlag(HttpVerbs.Post)) yield return (Create, _ => Body(required: true, defaults: true, version: false));
        if (verbs.HasFlag(HttpVerbs.Put)) yield return (Update, _ => Body(required: true, defaults: true, version: true));
        if (verbs.HasFlag(HttpVerbs.Patch)) yield return (Patch, _ => Body(required: false, defaults: false, version: true));
    }

    /// <summary>A record as a response shows it: the serializer's selection, or every field.</summary>
    private OpenApiSchema View(IReadOnlyList<string>? selection)
    {
        var names = selection ?? [.. AutoOrder, .. model.Fields.Select(f => f.Name), .. AutoTail];
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal),
            AdditionalPropertiesAllowed = !OwnRecords,
            Description = selection is null ? $"A record of {model.Route}." : $"A record of {model.Route}, as the endpoint's serializer shows it.",
        };
        foreach (var name in names)
        {
            if (AutoFields.All.Contains(name)) schema.Properties[name] = FieldSchemas.Auto(name, uuidIds: OwnRecords);
            else if (model.Field(name) is { } field)
            {
                var property = FieldSchemas.For(field, withDefault: false);
                // an optional field without a default is stored as null when a write omits it
                if (!field.Required && field.Default is null) property.Type |= JsonSchemaType.Null;
                if (property.Enum is { Count: > 0 } && property.Type!.Value.HasFlag(JsonSchemaType.Null) && !property.Enum.Contains(null!)) property.Enum.Add(null!);
                schema.Properties[name] = property;
            }
        }
        if (OwnRecords) schema.Required = new HashSet<string>(schema.Properties.Keys, StringComparer.Ordinal);
        return schema;
    }

    /// <summary>
    /// A record as <c>?fields=</c> shows it: the read view's members (nested objects keep theirs, none of which is
    /// required in a response view), of which a projection holds only those selected.
    /// </summary>
    private OpenApiSchema ProjectionView()
    {
        var schema = View(model.Serializer.Read);
        schema.Required = null;
        schema.Description = $"A record of {model.Route} projected by ?fields=: only the selected members are present, each as the record schema describes it.";
        return schema;
    }

    /// <summary>A request body: declared fields (and the lock token for updates).</summary>
    private OpenApiSchema Body(bool required, bool defaults, bool version)
    {
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal),
            AdditionalPropertiesAllowed = unknownFields == UnknownFieldPolicy.Ignore,
            Description = unknownFields == UnknownFieldPolicy.Ignore
                ? "Properties that are not fields are ignored. Automatic fields (id, created_at, updated_at) are ignored."
                : "Properties that are not fields are refused (422). Automatic fields (id, created_at, updated_at) are ignored.",
        };
        foreach (var field in model.Fields) schema.Properties[field.Name] = FieldSchemas.For(field, defaults, mergePatch: !required);
        if (version) schema.Properties[AutoFields.Version] = FieldSchemas.VersionToken();
        if (required)
        {
            var names = model.Fields.Where(f => f.Required && f.Default is null).Select(f => f.Name).ToList();
            if (names.Count > 0) schema.Required = new HashSet<string>(names, StringComparer.Ordinal);
        }
        return schema;
    }

    /// <summary>The list response of the endpoint's pagination style, with items of component <paramref name="item"/>.</summary>
    private OpenApiSchema ListSchema(OpenApiDocument document, string item)
    {
        var results = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchemaReference(item, document) };
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal),
            AdditionalPropertiesAllowed = false,
        };
        switch (model.Pagination.Style)
        {
            case PaginationStyle.PageNumber:
                schema.Description = "A page of records (page-number pagination).";
                schema.Properties["count"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "0", Description = "Records matching the query." };
                schema.Properties["pages"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0", Description = "Pages at this page size." };
                schema.Properties["next"] = Link("Absolute URL of the next page, or null on the last.");
                schema.Properties["previous"] = Link("Absolute URL of the previous page, or null on the first.");
                break;
            case PaginationStyle.Cursor:
                schema.Description = "A page of records (cursor pagination).";
                schema.Properties["next"] = Cursor("Cursor of the next page (pass it as ?cursor=), or null on the last.");
                schema.Properties["previous"] = Cursor("Cursor of the previous page, or null on the first.");
                break;
            default:
                schema.Description = "The records (no pagination; at most the app's MaxListResults).";
                break;
        }
        schema.Properties["results"] = results;
        schema.Required = new HashSet<string>(schema.Properties.Keys, StringComparer.Ordinal);
        return schema;
    }

    private static OpenApiSchema Link(string description) =>
        new() { Type = JsonSchemaType.String | JsonSchemaType.Null, Format = "uri", Description = description };

    private static OpenApiSchema Cursor(string description) =>
        new() { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = description };

    /// <summary>A type name for a collection: <c>books</c> → <c>Book</c>, <c>api/order-lines</c> → <c>ApiOrderLine</c>.</summary>
    public static string BaseNameOf(string collection)
    {
        var parts = collection.Split(['/', '-', '_', '.'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) return "Record";
        parts[^1] = Singular(parts[^1]);
        var name = string.Concat(parts.Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
        return char.IsLetter(name[0]) ? name : "R" + name;
    }

    private static string Singular(string word) =>
        word.Length > 4 && word.EndsWith("ies", StringComparison.OrdinalIgnoreCase) ? word[..^3] + "y"
        : word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.OrdinalIgnoreCase) ? word[..^1]
        : word;
}
