namespace LightS3;

/// <summary>
/// Declares constraints of a field property on a <see cref="RestEndpoint{TSelf}"/> subclass. Every public
/// read/write property of the subclass is a field; this attribute adds constraints to it.
/// Nullable properties (<c>string?</c>, <c>int?</c>) are optional; others are required unless a
/// <see cref="Default"/> is given. Unset numeric settings keep their sentinel (-1 or NaN).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class FieldAttribute : Attribute
{
    /// <summary>JSON name; defaults to the property name in snake_case.</summary>
    public string? Name { get; set; }

    /// <summary>Minimum string length.</summary>
    public int MinLength { get; set; } = -1;

    /// <summary>Maximum string length.</summary>
    public int MaxLength { get; set; } = -1;

    /// <summary>Inclusive lower bound of a number.</summary>
    public double Ge { get; set; } = double.NaN;

    /// <summary>Exclusive lower bound of a number.</summary>
    public double Gt { get; set; } = double.NaN;

    /// <summary>Inclusive upper bound of a number.</summary>
    public double Le { get; set; } = double.NaN;

    /// <summary>Exclusive upper bound of a number.</summary>
    public double Lt { get; set; } = double.NaN;

    /// <summary>Regular expression a string must match (anchor it yourself with ^ and $).</summary>
    public string? Pattern { get; set; }

    /// <summary>Maximum decimal places of a <c>decimal</c> field.</summary>
    public int DecimalPlaces { get; set; } = -1;

    /// <summary>Value used when the client omits the field on create or full update.</summary>
    public object? Default { get; set; }

    /// <summary>Requires a value even on a nullable property.</summary>
    public bool Required { get; set; }

    /// <summary>Values must be unique across the collection.</summary>
    public bool Unique { get; set; }

    /// <summary>Maintain a secondary index for filters and ordering on this field.</summary>
    public bool Index { get; set; }

    /// <summary>Not a field: not stored, not validated, not in responses.</summary>
    public bool Exclude { get; set; }

    /// <summary>Minimum number of items of a list (on a list, the string and number constraints apply to each item).</summary>
    public int MinItems { get; set; } = -1;

    /// <summary>Maximum number of items of a list.</summary>
    public int MaxItems { get; set; } = -1;

    /// <summary>A list's items must be distinct.</summary>
    public bool UniqueItems { get; set; }
}
