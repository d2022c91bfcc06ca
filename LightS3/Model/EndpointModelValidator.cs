using System.Text.RegularExpressions;

namespace LightS3.Model;

/// <summary>
/// Checks a model built by any front door (attributes or YAML) so both fail the same way, with every
/// problem listed at once.
/// </summary>
public static partial class EndpointModelValidator
{
    /// <summary>Normalizes a route (<c>books/</c> → <c>/books</c>) or returns null when it cannot be served.</summary>
    public static string? NormalizeRoute(string route)
    {
        var r = "/" + route.Trim().Trim('/');
        return r.Length > 1 && RoutePattern().IsMatch(r) ? r : null;
    }

    /// <summary>The default storage collection of a route: its path without the leading slash.</summary>
    public static string CollectionOf(string route) => route.Trim('/').ToLowerInvariant();

    /// <summary>Returns the problems of <paramref name="model"/>, each prefixed by its source.</summary>
    public static IReadOnlyList<string> Problems(EndpointModel model)
    {
        var problems = new List<string>();
        var at = string.IsNullOrEmpty(model.Source) ? model.Route : model.Source;
        if (NormalizeRoute(model.Route) != model.Route)
            problems.Add($"{at}: route '{model.Route}' must look like /name or /name/sub (letters, digits, '-', '_')");
        if (!CollectionPattern().IsMatch(model.Collection))
            problems.Add($"{at}: collection '{model.Collection}' may only contain lowercase letters, digits, '-', '_' and '/'");
        if (model.Methods == HttpVerbs.None)
            problems.Add($"{at}: no HTTP method enabled");

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in model.Fields)
        {
            if (!seen.Add(f.Name)) problems.Add($"{at}: field '{f.Name}' is declared twice");
            if (AutoFields.All.Contains(f.Name)) problems.Add($"{at}: field '{f.Name}' redeclares an automatic field (id, created_at, updated_at, version are maintained by LightS3)");
            if (!FieldNamePattern().IsMatch(f.Name)) problems.Add($"{at}: field name '{f.Name}' must match [A-Za-z_][A-Za-z0-9_]*");
            if ((f.MinLength ?? 0) < 0 || (f.MaxLength ?? 0) < 0 || f.MinLength > f.MaxLength)
                problems.Add($"{at}: field '{f.Name}' has inconsistent min/max length");
            if ((f.MinLength is not null || f.MaxLength is not null || f.Pattern is not null) && f.Kind != FieldKind.String)
                problems.Add($"{at}: field '{f.Name}': length and pattern constraints apply to strings only");
            if ((f.Ge ?? f.Gt ?? f.Le ?? f.Lt) is not null && f.Kind is not (FieldKind.Int or FieldKind.Long or FieldKind.Double or FieldKind.Decimal))
                problems.Add($"{at}: field '{f.Name}': ge/gt/le/lt apply to numbers only");
            if (f.DecimalPlaces is not null && (f.Kind != FieldKind.Decimal || f.DecimalPlaces < 0 || f.DecimalPlaces > 28))
                problems.Add($"{at}: field '{f.Name}': decimal_places must be 0..28 on a decimal field");
            if (f.Kind == FieldKind.Enum && f.EnumValues.Count == 0)
                problems.Add($"{at}: enum field '{f.Name}' has no values");
        }

        problems.AddRange(TimeSpecValidator.Problems(model, at));

        var all = new HashSet<string>(model.Fields.Select(f => f.Name).Concat(AutoFields.All), StringComparer.Ordinal);
        foreach (var name in (model.Serializer.Read ?? []).Concat(model.Serializer.Write ?? []))
            if (!all.Contains(name)) problems.Add($"{at}: serializer names unknown field '{name}'");
        foreach (var (list, what) in new[] { (model.Filtering.Fields, "filtering fields"), (model.Filtering.Search, "search fields"), (model.Filtering.Ordering, "ordering fields") })
            foreach (var name in list)
                if (model.Resolve(name) is null) problems.Add($"{at}: {what} name unknown field '{name}'");
        if (model.Pagination.PageSize < 1 || model.Pagination.MaxPageSize < model.Pagination.PageSize)
            problems.Add($"{at}: pagination needs 1 <= page_size <= max_page_size");
        return problems;
    }

    /// <summary>Throws a <see cref="ConfigurationException"/> listing every problem of <paramref name="model"/>.</summary>
    public static void EnsureValid(EndpointModel model)
    {
        var problems = Problems(model);
        if (problems.Count > 0) throw new ConfigurationException(problems);
    }

    [GeneratedRegex("^(/[A-Za-z0-9_-]+)+$")]
    private static partial Regex RoutePattern();

    [GeneratedRegex("^[a-z0-9_-]+(/[a-z0-9_-]+)*$")]
    private static partial Regex CollectionPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex FieldNamePattern();
}
