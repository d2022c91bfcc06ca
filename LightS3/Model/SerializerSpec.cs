namespace LightS3.Model;

/// <summary>
/// Which fields appear in responses: <see cref="Read"/> for GET (list and retrieve), <see cref="Write"/>
/// for POST/PUT/PATCH responses. Null means every field.
/// </summary>
public sealed record SerializerSpec(IReadOnlyList<string>? Read, IReadOnlyList<string>? Write)
{
    /// <summary>All fields on every verb.</summary>
    public static SerializerSpec All { get; } = new(null, null);
}
