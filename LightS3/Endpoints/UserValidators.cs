using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using LightS3.Model;
using LightS3.Validation;
using Microsoft.Extensions.DependencyInjection;

namespace LightS3.Endpoints;

/// <summary>
/// The application's own FluentValidation validators of an endpoint class (<c>AbstractValidator&lt;BookEndpoint&gt;</c>,
/// e.g. cross-field rules such as <c>sale_price &lt;= price</c>), resolved from DI and run after the model's rules pass,
/// on the typed record. Their failures join the same 422 <c>errors</c> map, keyed by snake_case field names.
/// </summary>
internal sealed class UserValidators
{
    private readonly Type? _validatorType;
    private readonly Func<JsonObject, object>? _typed;

    public UserValidators(EndpointModel model)
    {
        if (model.HandlerType is not { } type) return;
        var fromJson = type.GetMethod("FromJson", BindingFlags.Public | BindingFlags.Static | BindingFlags.FlattenHierarchy, [typeof(JsonObject)]);
        if (fromJson is null) return;
        _validatorType = typeof(IValidator<>).MakeGenericType(AttributeModelReader.RecordTypeOf(type) ?? type);
        _typed = fromJson.CreateDelegate<Func<JsonObject, object>>();
    }

    /// <summary>Runs every registered validator of the endpoint class on <paramref name="fields"/>; throws a 422 on failures.</summary>
    public async Task ValidateAsync(IServiceProvider services, JsonObject fields, CancellationToken ct)
    {
        if (_validatorType is null) return;
        object? instance = null;
        Dictionary<string, List<string>>? errors = null;
        foreach (var validator in services.GetServices(_validatorType).OfType<IValidator>())
        {
            instance ??= _typed!(fields);
            var result = await validator.ValidateAsync(new ValidationContext<object>(instance), ct);
            foreach (var failure in result.Errors)
            {
                errors ??= new Dictionary<string, List<string>>(StringComparer.Ordinal);
                var name = FieldName(failure.PropertyName);
                if (!errors.TryGetValue(name, out var messages)) errors[name] = messages = [];
                messages.Add(failure.ErrorMessage);
            }
        }
        if (errors is not null) throw new RecordValidationException(errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
    }

    /// <summary><c>SalePrice</c> → <c>sale_price</c>, <c>Address.City</c> → <c>address.city</c>; an empty name is the whole record.</summary>
    private static string FieldName(string propertyName) =>
        string.IsNullOrEmpty(propertyName)
            ? "non_field_errors"
            : string.Join('.', propertyName.Split('.').Select(JsonNamingPolicy.SnakeCaseLower.ConvertName));
}
