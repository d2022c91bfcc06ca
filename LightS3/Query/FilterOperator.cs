namespace LightS3;

/// <summary>Filter operators, written <c>field__op=value</c> in query strings (S3verless style).</summary>
public enum FilterOperator
{
    /// <summary><c>field=v</c> or <c>field__eq=v</c>.</summary>
    Eq,
    /// <summary>Not equal.</summary>
    Ne,
    /// <summary>Greater than.</summary>
    Gt,
    /// <summary>Greater than or equal.</summary>
    Gte,
    /// <summary>Less than.</summary>
    Lt,
    /// <summary>Less than or equal.</summary>
    Lte,
    /// <summary>One of comma-separated values.</summary>
    In,
    /// <summary>None of comma-separated values.</summary>
    Nin,
    /// <summary>Case-sensitive substring (strings).</summary>
    Contains,
    /// <summary>Case-insensitive substring (strings).</summary>
    IContains,
    /// <summary>Prefix (strings).</summary>
    StartsWith,
    /// <summary>Suffix (strings).</summary>
    EndsWith,
    /// <summary><c>true</c>: value is null; <c>false</c>: it is not.</summary>
    IsNull,
    /// <summary>A list holds at least one of comma-separated values (lists only; <c>__contains</c> on a list wants all).</summary>
    Overlaps,
}

/// <summary>Operator names as they appear after <c>__</c>.</summary>
internal static class FilterOperators
{
    private static readonly Dictionary<string, FilterOperator> ByName = Enum.GetValues<FilterOperator>()
        .ToDictionary(o => o.ToString().ToLowerInvariant(), o => o, StringComparer.Ordinal);

    /// <summary>Parses an operator suffix.</summary>
    public static bool TryParse(string name, out FilterOperator op) => ByName.TryGetValue(name, out op);

    /// <summary>The suffix of an operator.</summary>
    public static string Name(FilterOperator op) => op.ToString().ToLowerInvariant();

    /// <summary>Operators that only make sense on strings.</summary>
    public static bool IsTextual(FilterOperator op) => op is FilterOperator.Contains or FilterOperator.IContains or FilterOperator.StartsWith or FilterOperator.EndsWith;

    /// <summary>Operators a list of scalars accepts: membership of all values, of any value, and null.</summary>
    public static bool AppliesToLists(FilterOperator op) => op is FilterOperator.Contains or FilterOperator.Overlaps or FilterOperator.IsNull;

    /// <summary>Known operator names, for error messages.</summary>
    public static string All => string.Join(", ", ByName.Keys);
}
