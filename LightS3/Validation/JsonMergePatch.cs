using System.Text.Json.Nodes;

namespace LightS3.Validation;

/// <summary>JSON Merge Patch (RFC 7386) over <see cref="JsonNode"/> values.</summary>
internal static class JsonMergePatch
{
    /// <summary>
    /// <paramref name="patch"/> applied to <paramref name="target"/> (neither is modified): an object patch merges member
    /// by member into the target (a non-object target counts as <c>{}</c>), a <c>null</c> member removes the member, any
    /// other value (scalars, arrays) replaces it whole.
    /// </summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject) return patch?.DeepClone();
        var result = target is JsonObject o ? (JsonObject)o.DeepClone() : new JsonObject();
        foreach (var (name, value) in patchObject)
        {
            if (value is null) result.Remove(name);
            else result[name] = Apply(result[name], value);
        }
        return result;
    }
}
