using System.Text.Json.Nodes;

namespace LightS3.Migrations;

/// <summary>
/// <c>transform: { field, expression | function, down_expression | down_function }</c>: sets the field to the
/// expression's value over the record, or runs a named C# function (registered with
/// <see cref="MigrationCatalog.AddFunction"/>) on the whole record. Reverts only with a down expression or function.
/// </summary>
public sealed class TransformStep : MigrationStep
{
    private readonly string _field;
    private readonly TransformExpression? _up, _down;
    private readonly Func<Action<JsonObject>>? _upFunction, _downFunction;
    private readonly string _what;

    /// <summary>A transform by expressions (<paramref name="down"/> optional).</summary>
    public TransformStep(string field, TransformExpression up, TransformExpression? down = null)
    {
        (_field, _up, _down, _what) = (field, up, down, $"transform {field} = {up.Text}");
    }

    /// <summary>A transform by named functions, resolved when first run (<paramref name="down"/> optional).</summary>
    public TransformStep(string field, string upName, Func<Action<JsonObject>> up, Func<Action<JsonObject>>? down = null)
    {
        (_field, _upFunction, _downFunction, _what) = (field, up, down, $"transform {(field.Length > 0 ? field + " " : "")}by {upName}()");
    }

    /// <inheritdoc />
    public override string Description => _what;

    /// <inheritdoc />
    public override bool Reversible => _down is not null || _downFunction is not null;

    /// <inheritdoc />
    public override IReadOnlyCollection<string> FieldsSet => _field.Length > 0 ? [_field] : [];

    /// <inheritdoc />
    public override void Apply(JsonObject record) => Run(record, _up, _upFunction);

    /// <inheritdoc />
    public override void Revert(JsonObject record) => Run(record, _down, _downFunction);

    private void Run(JsonObject record, TransformExpression? expression, Func<Action<JsonObject>>? function)
    {
        if (function is not null)
        {
            function()(record);
            return;
        }
        if (expression is null) throw new InvalidOperationException($"{_what}: no way back (give down_expression or down_function)");
        try
        {
            record[_field] = expression.Evaluate(record)?.DeepClone();
        }
        catch (FormatException e)
        {
            throw new MigrationRecordException($"{_what}: {e.Message}", e);
        }
    }
}
