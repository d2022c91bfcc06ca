using System.Globalization;
using System.Text.Json.Nodes;
using LightS3.Model;
using Microsoft.OpenApi;

namespace LightS3.OpenApi;

/// <summary>The JSON Schema of one field's values: type and format, constraints, nullability, enum values and default.</summary>
internal static class FieldSchemas
{
    /// <summary>
    /// The schema of <paramref name="field"/> in a body; <paramref name="withDefault"/> for request bodies of create and
    /// replace; <paramref name="mergePatch"/> for PATCH bodies, where a member of an object or map may be <c>null</c> (remove it).
    /// </summary>
    public static OpenApiSchema For(FieldModel field, bool withDefault, bool mergePatch = false)
    {
        var schema = Base(field.Kind);
        switch (field.Kind)
        {
            case FieldKind.Object:
                schema.Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
                foreach (var sub in field.Fields) schema.Properties[sub.Name] = Removable(For(sub, withDefault, mergePatch), mergePatch);
                // a merge patch (no defaults) may send any subset of an object's members
                var required = field.Fields.Where(f => f.Required && f.Default is null).Select(f => f.Name).ToList();
                if (withDefault && required.Count > 0) schema.Required = new HashSet<string>(required, StringComparer.Ordinal);
                break;
            case FieldKind.List:
                schema.Items = For(field.Element!, withDefault);
                schema.MinItems = field.MinItems;
                schema.MaxItems = field.MaxItems;
                if (field.UniqueItems) schema.UniqueItems = true;
                break;
            case FieldKind.Map:
                schema.AdditionalProperties = Removable(For(field.Element!, withDefault, mergePatch), mergePatch);
                break;
            case FieldKind.Json:
                schema.Description = $"Any JSON value, stored as given (at most {Validation.CompositeValues.MaxJsonBytes} bytes).";
                break;
        }
        schema.MinLength = field.MinLength;
        schema.MaxLength = field.MaxLength;
        if (field.Pattern is { } pattern) schema.Pattern = pattern.ToString();
        if (field.Ge is { } ge) schema.Minimum = Number(ge);
        if (field.Gt is { } gt) schema.ExclusiveMinimum = Number(gt);
        if (field.Le is { } le) schema.Maximum = Number(le);
        if (field.Lt is { } lt) schema.ExclusiveMaximum = Number(lt);
        if (field.Kind == FieldKind.Enum) schema.Enum = [.. field.EnumValues.Select(v => (JsonNode)JsonValue.Create(v))];
        var notes = new List<string>();
        if (field.DecimalPlaces is { } places)
        {
            notes.Add($"At most {places} decimal places.");
            // the admin UI's number step; JSON Schema's multipleOf would say more than the rule (it also bounds doubles)
            schema.Extensions ??= new Dictionary<string, IOpenApiExtension>(StringComparer.Ordinal);
            schema.Extensions["x-decimal-places"] = new JsonNodeExtension(JsonValue.Create(places));
        }
        if (field.Kind == FieldKind.Decimal) notes.Add("Exact decimal; requests may also send it as a numeric string.");
        if (field.Unique) notes.Add("Unique across the collection.");
        if (field.Kind is FieldKind.Object or FieldKind.Map && !withDefault) notes.Add("On PATCH, merged into the stored value (JSON Merge Patch, RFC 7386).");
        if (field.Index && field.Kind == FieldKind.List) notes.Add("Indexed per item.");
        if (field.Ref is { } reference) ReferenceSchemas.Describe(schema, field, reference, notes);
        if (notes.Count > 0) schema.Description = string.Join(" ", [.. (schema.Description is null ? Array.Empty<string>() : [schema.Description]), .. notes]);
        if (field.Nullable && schema.Type is not null)
        {
            schema.Type |= JsonSchemaType.Null;
            if (schema.Enum is { Count: > 0 }) schema.Enum.Add(null!);
        }
        if (withDefault && field.Default is not null) schema.Default = field.Default.DeepClone();
        return schema;
    }

    // in a merge patch, null removes a member: allow it whatever the member's own nullability
    private static OpenApiSchema Removable(OpenApiSchema schema, bool mergePatch)
    {
        if (!mergePatch || schema.Type is null || schema.Type.Value.HasFlag(JsonSchemaType.Null)) return schema;
        schema.Type |= JsonSchemaType.Null;
        if (schema.Enum is { Count: > 0 }) schema.Enum.Add(null!);
        return schema;
    }

    /// <summary>The schema of an automatic field (read-only in responses).</summary>
    public static OpenApiSchema Auto(string name, bool uuidIds)
    {
        var schema = name switch
        {
            AutoFields.Id => uuidIds ? Base(FieldKind.Guid) : new OpenApiSchema { Type = JsonSchemaType.String },
            AutoFields.Version => Base(FieldKind.Long),
            _ => Base(FieldKind.DateTime),
        };
        schema.ReadOnly = true;
        schema.Description = name switch
        {
            AutoFields.Id => "Time-ordered id (UUIDv7), set by the server.",
            AutoFields.Version => "1 on create, +1 on every write: send it back on PUT/PATCH (or the ETag in If-Match).",
            AutoFields.CreatedAt => "Creation time (UTC).",
            _ => "Last write time (UTC).",
        };
        if (name == AutoFields.Version) schema.Minimum = "1";
        return schema;
    }

    /// <summary>The lock token a PUT or PATCH body may carry.</summary>
    public static OpenApiSchema VersionToken() => new()
    {
        Type = JsonSchemaType.Integer,
        Format = "int64",
        Minimum = "0",
        Description = "The version you read; a stale one is answered 409. Either this or If-Match is required.",
    };

    /// <summary>The type and format of a kind, without constraints.</summary>
    public static OpenApiSchema Base(FieldKind kind) => kind switch
    {
        FieldKind.String => new() { Type = JsonSchemaType.String },
        FieldKind.Int => new() { Type = JsonSchemaType.Integer, Format = "int32" },
        FieldKind.Long => new() { Type = JsonSchemaType.Integer, Format = "int64" },
        FieldKind.Double => new() { Type = JsonSchemaType.Number, Format = "double" },
        FieldKind.Decimal => new() { Type = JsonSchemaType.Number, Format = "decimal" },
        FieldKind.Bool => new() { Type = JsonSchemaType.Boolean },
        FieldKind.DateTime => new() { Type = JsonSchemaType.String, Format = "date-time" },
        FieldKind.Guid => new() { Type = JsonSchemaType.String, Format = "uuid" },
        FieldKind.Object or FieldKind.Map => new() { Type = JsonSchemaType.Object },
        FieldKind.List => new() { Type = JsonSchemaType.Array },
        FieldKind.Json => new(),
        FieldKind.File => new()
        {
            Type = JsonSchemaType.Object | JsonSchemaType.Null,
            ReadOnly = true,
            Description = "A file (read-only here; see the field's upload, confirm, download and delete operations): name, size, content_type, etag, status (pending|ready), uploaded_at.",
        },
        _ => new() { Type = JsonSchemaType.String },
    };

    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
