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
            CheckField(f, f.Name, at, topLevel: true, indexable: true, problems);
            if (f.Kind == FieldKind.File) problems.AddRange(FileProblems(f).Select(p => $"{at}: file field '{f.Name}' {p}"));
        }

        problems.AddRange(TimeSpecValidator.Problems(model, at));

        var all = new HashSet<string>(model.Fields.Select(f => f.Name).Concat(AutoFields.All), StringComparer.Ordinal);
        foreach (var name in (model.Serializer.Read ?? []).Concat(model.Serializer.Write ?? []))
            if (!all.Contains(name)) problems.Add($"{at}: serializer names unknown field '{name}'");
        foreach (var (list, what) in new[] { (model.Filtering.Fields, "filtering fields"), (model.Filtering.Search, "search fields"), (model.Filtering.Ordering, "ordering fields") })
            foreach (var name in list)
                if (model.Resolve(name) is not { } resolved) problems.Add($"{at}: {what} name unknown field '{name}'");
                else if (resolved.MultiValued && what != "filtering fields") problems.Add($"{at}: {what} name the list '{name}' (lists can only be filtered)");
                else if (resolved.Kind == FieldKind.File) problems.Add($"{at}: {what} cannot name file field '{name}'");
                else if (HiddenOnRead(model, name))
                    problems.Add($"{at}: {what} name '{name}', which the read serializer hides: which records match, or their order, would reveal its values (list it in serializer read, or leave it out of {what})");
        if (model.Pagination.PageSize < 1 || model.Pagination.MaxPageSize < model.Pagination.PageSize)
            problems.Add($"{at}: pagination needs 1 <= page_size <= max_page_size");
        return problems;
    }

    /// <summary>Whether GET responses leave out the field <paramref name="name"/> (a dotted path is judged by its top-level field).</summary>
    private static bool HiddenOnRead(EndpointModel model, string name) =>
        model.Serializer.Read is { } read && !read.Contains(name.Split('.')[0], StringComparer.Ordinal);

    private static void CheckField(FieldModel f, string label, string at, bool topLevel, bool indexable, List<string> problems)
    {
        if (topLevel && !FieldNamePattern().IsMatch(f.Name)) problems.Add($"{at}: field name '{f.Name}' must match [A-Za-z_][A-Za-z0-9_]*");
        if ((f.MinLength ?? 0) < 0 || (f.MaxLength ?? 0) < 0 || f.MinLength > f.MaxLength)
            problems.Add($"{at}: field '{label}' has inconsistent min/max length");
        if ((f.MinLength is not null || f.MaxLength is not null || f.Pattern is not null) && f.Kind != FieldKind.String)
            problems.Add($"{at}: field '{label}': length and pattern constraints apply to strings only");
        if ((f.Ge ?? f.Gt ?? f.Le ?? f.Lt) is not null && f.Kind is not (FieldKind.Int or FieldKind.Long or FieldKind.Double or FieldKind.Decimal))
            problems.Add($"{at}: field '{label}': ge/gt/le/lt apply to numbers only");
        if (f.DecimalPlaces is not null && (f.Kind != FieldKind.Decimal || f.DecimalPlaces < 0 || f.DecimalPlaces > 28))
            problems.Add($"{at}: field '{label}': decimal_places must be 0..28 on a decimal field");
        if (f.Kind == FieldKind.Enum && f.EnumValues.Count == 0)
            problems.Add($"{at}: enum field '{label}' has no values");
        if (!topLevel && f.Kind == FieldKind.File)
            problems.Add($"{at}: field '{label}': file fields are top-level fields only");
        if ((f.MinItems is not null || f.MaxItems is not null || f.UniqueItems) && f.Kind != FieldKind.List)
            problems.Add($"{at}: field '{label}': min_items, max_items and unique_items apply to lists only");
        if ((f.MinItems ?? 0) < 0 || (f.MaxItems ?? 0) < 0 || f.MinItems > f.MaxItems)
            problems.Add($"{at}: field '{label}' has inconsistent min/max items");
        if (f.Unique && (!topLevel || f.IsComposite))
            problems.Add($"{at}: field '{label}': unique applies to top-level scalar fields only");
        if (f.Index && (!indexable || f.Kind is FieldKind.Object or FieldKind.Map or FieldKind.Json || (f.Kind == FieldKind.List && f.Element!.IsComposite)))
            problems.Add($"{at}: field '{label}': index applies to scalar fields (at the top level, inside nested objects or inside the objects of a list) and to lists of scalars");
        if (f.Ref is { } reference) problems.AddRange(RefProblems(f, reference, topLevel).Select(p => $"{at}: reference field '{label}' {p}"));
        switch (f.Kind)
        {
            case FieldKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                if (f.Fields.Count == 0) problems.Add($"{at}: object field '{label}' has no fields");
                foreach (var sub in f.Fields)
                {
                    if (!names.Add(sub.Name)) problems.Add($"{at}: field '{label}.{sub.Name}' is declared twice");
                    if (!FieldNamePattern().IsMatch(sub.Name)) problems.Add($"{at}: field name '{label}.{sub.Name}' must match [A-Za-z_][A-Za-z0-9_]*");
                    CheckField(sub, $"{label}.{sub.Name}", at, topLevel: false, indexable, problems);
                }
                break;
            case FieldKind.List or FieldKind.Map when f.Element is null:
                problems.Add($"{at}: field '{label}' needs an element type ({(f.Kind == FieldKind.List ? "items" : "values")})");
                break;
            case FieldKind.List or FieldKind.Map:
                // the members of a list's objects are indexable (one entry per element, like a list of scalars); the elements themselves are not
                var elementMembers = indexable && f.Kind == FieldKind.List && f.Element!.Kind == FieldKind.Object;
                CheckField(f.Element!, f.Kind == FieldKind.List ? $"{label}[]" : $"{label}.*", at, topLevel: false, indexable: elementMembers, problems);
                break;
        }
    }

    private static IEnumerable<string> RefProblems(FieldModel f, RefSpec reference, bool topLevel)
    {
        if (!topLevel) yield return "must be a top-level field";
        if (f.Kind != FieldKind.String) yield return "must hold a string (the id of the referenced record)";
        if (reference.To is null && reference.TargetType is null) yield return "needs a target (to: /route)";
        if (reference.To is { } to && NormalizeRoute(to) is null) yield return $"targets '{to}', which is not a route (/name)";
        if (reference.OnDelete == OnDelete.SetNull && !f.Nullable) yield return "has on_delete: set_null, so it must be optional (nullable)";
        if (reference.RelatedName is { } name && !FieldNamePattern().IsMatch(name)) yield return $"has related_name '{name}', which must match [A-Za-z_][A-Za-z0-9_]*";
    }

    private static IEnumerable<string> FileProblems(FieldModel f)
    {
        if (f.File is not { } spec) { yield return "has no file limits"; yield break; }
        if (spec.MaxBytes < 1 || spec.MaxBytes > FileSpec.LimitBytes) yield return $"max_size must be 1 byte..5 GB (S3's single-upload limit), not {spec.MaxBytes}";
        foreach (var t in spec.ContentTypes.Where(t => !FileSpec.IsMediaType(t, wildcard: true))) yield return $"content type '{t}' is not type/subtype or type/*";
        if (spec.UploadExpiry is { } u && (u < TimeSpan.FromSeconds(1) || u > TimeSpan.FromDays(7))) yield return "upload expiry must be 1 s..7 days";
        if (spec.DownloadExpiry is { } d && (d < TimeSpan.FromSeconds(1) || d > TimeSpan.FromDays(7))) yield return "download expiry must be 1 s..7 days";
        if (f.Unique || f.Index || f.Default is not null || f.Required) yield return "cannot be unique, indexed, required or have a default";
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
