using System.Globalization;
using System.Text.Json.Nodes;
using FluentValidation;
using LightS3.Model;

namespace LightS3.Validation;

/// <summary>
/// FluentValidation rules generated from an <see cref="EndpointModel"/>: length, range, pattern and
/// decimal-place constraints over canonical field values. Type conversion and required/unknown checks
/// happen first in <see cref="InputBinder"/>; these rules see only well-typed, present values.
/// </summary>
public sealed class RecordValidator : AbstractValidator<JsonObject>
{
    /// <summary>Builds the rules of <paramref name="model"/>.</summary>
    public RecordValidator(EndpointModel model)
    {
        foreach (var field in model.Fields) AddRules(field);
    }

    private void AddRules(FieldModel field)
    {
        var name = field.Name;
        void Check<TValue>(Func<JsonObject, TValue?> get, Func<TValue?, bool> ok, string message) =>
            RuleFor(o => get(o)).Must(ok).WithMessage(message).OverridePropertyName(name);

        if (field.Kind == FieldKind.String)
        {
            if (field.MinLength is { } min) Check(o => StringOf(o, name), s => s is null || s.Length >= min, $"must be at least {min} characters long");
            if (field.MaxLength is { } max) Check(o => StringOf(o, name), s => s is null || s.Length <= max, $"must be at most {max} characters long");
            if (field.Pattern is { } declared)
            {
                var pattern = new WholeValuePattern(declared);
                Check(o => StringOf(o, name), s => s is null || pattern.Matches(s), $"must match the pattern {declared}");
            }
        }
        else if (field.Kind is FieldKind.Int or FieldKind.Long or FieldKind.Double or FieldKind.Decimal)
        {
            if (field.Ge is { } ge) Check(o => NumberOf(o, name), n => n is null || n >= ge, $"must be greater than or equal to {Text(ge)}");
            if (field.Gt is { } gt) Check(o => NumberOf(o, name), n => n is null || n > gt, $"must be greater than {Text(gt)}");
            if (field.Le is { } le) Check(o => NumberOf(o, name), n => n is null || n <= le, $"must be less than or equal to {Text(le)}");
            if (field.Lt is { } lt) Check(o => NumberOf(o, name), n => n is null || n < lt, $"must be less than {Text(lt)}");
        }
    }

    private static string? StringOf(JsonObject o, string name) =>
        o.TryGetPropertyValue(name, out var v) && v is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;

    private static decimal? NumberOf(JsonObject o, string name)
    {
        if (!o.TryGetPropertyValue(name, out var v) || v is not JsonValue value) return null;
        var text = value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
        // doubles beyond decimal's range compare correctly via saturation
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? (x > 0 ? decimal.MaxValue : decimal.MinValue) : null;
    }

    private static string Text(decimal d) => d.ToString(CultureInfo.InvariantCulture);
}
