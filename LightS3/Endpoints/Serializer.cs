namespace LightS3;

/// <summary>
/// A reusable response field selection (LightAPI's <c>Serializer</c>). Subclass it and set the lists in the
/// constructor, then reference it from any number of endpoints with <see cref="SerializerAttribute"/>.
/// </summary>
/// <example>
/// <code>
/// public sealed class PublicSerializer : Serializer
/// {
///     public PublicSerializer() { Read = ["id", "name", "created_at"]; Write = ["id", "name"]; }
/// }
/// </code>
/// </example>
public class Serializer
{
    /// <summary>Fields on every response (shorthand for the same Read and Write).</summary>
    public string[]? Fields { get; init; }

    /// <summary>Fields on GET responses (list and retrieve).</summary>
    public string[]? Read { get; init; }

    /// <summary>Fields on POST/PUT/PATCH responses.</summary>
    public string[]? Write { get; init; }
}

/// <summary>
/// Selects response fields: inline (<c>[Serializer(Fields = new[] {"id", "name"})]</c>,
/// <c>[Serializer(Read = ..., Write = ...)]</c>) or through a reusable <see cref="Serializer"/> subclass
/// (<c>[Serializer(typeof(PublicSerializer))]</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class SerializerAttribute : Attribute
{
    /// <summary>Inline lists.</summary>
    public SerializerAttribute() { }

    /// <summary>A reusable <see cref="Serializer"/> subclass with a parameterless constructor.</summary>
    public SerializerAttribute(Type serializerType) => SerializerType = serializerType;

    /// <summary>The reusable serializer type, if any.</summary>
    public Type? SerializerType { get; }

    /// <summary>Fields on every response.</summary>
    public string[]? Fields { get; set; }

    /// <summary>Fields on GET responses.</summary>
    public string[]? Read { get; set; }

    /// <summary>Fields on write responses.</summary>
    public string[]? Write { get; set; }
}

/// <summary>Overrides the app-wide treatment of unknown JSON properties for one endpoint.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class UnknownFieldsAttribute(UnknownFieldPolicy policy) : Attribute
{
    /// <summary>The policy.</summary>
    public UnknownFieldPolicy Policy { get; } = policy;
}

/// <summary>Overrides the storage collection name (default: the route without its leading slash).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CollectionAttribute(string name) : Attribute
{
    /// <summary>The collection name.</summary>
    public string Name { get; } = name;
}
