using System.Text.Json;
using System.Text.Json.Nodes;
using LightS3.Model;

namespace LightS3.Endpoints;

/// <summary>Typed access to records: a class's declared fields to and from a record's JSON.</summary>
internal static class TypedRecords
{
    private static readonly JsonSerializerOptions TypedJson = TypedJsonOptions.Create();

    /// <summary>Sets <paramref name="instance"/>'s field properties of <paramref name="type"/> from <paramref name="data"/>; a 422 for values that do not fit.</summary>
    public static void Fill(object instance, Type type, JsonObject data)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var field in AttributeModelReader.FieldsOf(type))
        {
            if (!data.TryGetPropertyValue(field.Name, out var node) || field.Property is not { } p) continue;
            try
            {
                p.SetValue(instance, node?.Deserialize(p.PropertyType, TypedJson));
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException or ArgumentException or FormatException)
            {
                errors[field.Name] = [$"must be {Validation.FieldValues.Describe(field)}"];
            }
        }
        if (errors.Count > 0) throw new RecordValidationException(errors);
    }

    /// <summary>The field properties of <paramref name="instance"/> (declared by <paramref name="type"/>) as a JSON body.</summary>
    public static JsonObject ToJson(object instance, Type type)
    {
        var body = new JsonObject();
        foreach (var field in AttributeModelReader.FieldsOf(type))
            if (field.Property is { } p) body[field.Name] = JsonSerializer.SerializeToNode(p.GetValue(instance), p.PropertyType, TypedJson);
        return body;
    }
}
