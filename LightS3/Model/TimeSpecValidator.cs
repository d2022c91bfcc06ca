namespace LightS3.Model;

/// <summary>Checks an endpoint's <see cref="TimeSpec"/> against its fields.</summary>
internal static class TimeSpecValidator
{
    /// <summary>The problems of <paramref name="model"/>'s time settings, each prefixed with <paramref name="at"/>.</summary>
    public static IEnumerable<string> Problems(EndpointModel model, string at)
    {
        var spec = model.Time;
        foreach (var name in TimeFields.Of(spec).Where(n => model.Field(n) is not null))
            yield return $"{at}: field '{name}' redeclares an automatic field of soft delete, history, actors or ttl";
        if (spec.ExpiresField is { } expires)
        {
            if (model.Field(expires) is not { } field)
                yield return $"{at}: expiry field '{expires}' is not a declared field";
            else if (field.Kind is not (FieldKind.DateTime or FieldKind.Long or FieldKind.Int))
                yield return $"{at}: expiry field '{expires}' must be a date-time (or Unix seconds as an integer)";
            if (spec.Ttl is not null) yield return $"{at}: use either a ttl or an expiry field, not both";
        }
        if (spec.History is { } history && history.Keep < 1) yield return $"{at}: history keep must be at least 1";
    }
}
