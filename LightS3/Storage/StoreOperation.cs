namespace LightS3.Storage;

/// <summary>The kinds of request a store makes to its backend; counted per operation.</summary>
public enum StoreOperation
{
    /// <summary>Object read.</summary>
    Get,
    /// <summary>Object write (conditional or not).</summary>
    Put,
    /// <summary>Object delete.</summary>
    Delete,
    /// <summary>Metadata read.</summary>
    Head,
    /// <summary>One page of a listing.</summary>
    List,
}
