using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace LightS3.Endpoints;

/// <summary>
/// How typed endpoint classes convert field values to and from JSON: enums by name, and the properties of nested
/// classes and records named as the model names them (snake_case, or <see cref="FieldAttribute.Name"/>), skipping
/// <see cref="FieldAttribute.Exclude"/>d ones. Dictionary keys are kept as they are.
/// </summary>
internal static class TypedJsonOptions
{
    /// <summary>New options (one instance per endpoint class is enough: they cache type metadata).</summary>
    public static JsonSerializerOptions Create() => new()
    {
        Converters = { new JsonStringEnumConverter() },
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { ApplyFieldAttributes } },
    };

    private static void ApplyFieldAttributes(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object) return;
        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            var property = info.Properties[i];
            if ((property.AttributeProvider as MemberInfo)?.GetCustomAttribute<FieldAttribute>() is not { } field) continue;
            if (field.Exclude) info.Properties.RemoveAt(i);
            else if (field.Name is { } name) property.Name = name;
        }
    }
}
