namespace LightS3.Model;

/// <summary>The value types a field can hold. Attribute classes and YAML both map onto these.</summary>
public enum FieldKind
{
    /// <summary>Text (<c>string</c>, YAML <c>str</c>).</summary>
    String,
    /// <summary>32-bit integer (<c>int</c>, YAML <c>int</c>).</summary>
    Int,
    /// <summary>64-bit integer (<c>long</c>).</summary>
    Long,
    /// <summary>Binary floating point (<c>double</c>/<c>float</c>, YAML <c>float</c>).</summary>
    Double,
    /// <summary>Exact decimal (<c>decimal</c>), optionally with a fixed number of decimal places.</summary>
    Decimal,
    /// <summary>Boolean.</summary>
    Bool,
    /// <summary>Instant in time, stored as ISO 8601 UTC (<c>DateTime</c>/<c>DateTimeOffset</c>, YAML <c>datetime</c>).</summary>
    DateTime,
    /// <summary>UUID, stored lowercase (<c>Guid</c>, YAML <c>uuid</c>).</summary>
    Guid,
    /// <summary>One of a fixed set of names (C# enum, YAML <c>enum</c> with <c>values</c>).</summary>
    Enum,
    /// <summary>A nested object with declared fields of its own (a class- or record-typed property, YAML <c>object</c> with <c>fields</c>).</summary>
    Object,
    /// <summary>A list of values of one element spec (<c>List&lt;T&gt;</c>/arrays, YAML <c>list</c> with <c>items</c>).</summary>
    List,
    /// <summary>An object with free keys and values of one spec (<c>Dictionary&lt;string, T&gt;</c>, YAML <c>map</c> with <c>values</c>).</summary>
    Map,
    /// <summary>Free-form JSON, stored as given up to a size limit (<c>JsonElement</c>/<c>JsonObject</c>/<c>JsonNode</c>, YAML <c>json</c>).</summary>
    Json,
    /// <summary>A file kept beside the record (C# <c>StoredFile?</c> with <c>[FileField]</c>, YAML <c>file</c>); read-only in bodies, see docs/files.md.</summary>
    File,
}
